"""A dossier's satisfaction rating (đánh giá mức độ hài lòng), for the reports (Decision 766, group 5).

One rating per dossier, given after its result is returned (status 10) by its applicant, online or at
the kiosk, and editable for ``MOTCUA_RATING_EDIT_DAYS`` days (7) after it was first given.

Four questions (``constants.Question``), each answered on the five-level scale of the national surveys
(``constants.Answer``: 5 rất hài lòng, 4 hài lòng, 3 chấp nhận được, 2 không hài lòng, 1 rất không hài
lòng). What the reports count is derived by the database from the answers, never typed:
``satisfied`` is true when the overall answer is hài lòng or rất hài lòng (4 or 5); ``score`` puts the
four answers on 0–100 (all "rất không hài lòng" 0, all "rất hài lòng" 100, truncated to an integer).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.surveys.constants import COMMENT_MAX_LENGTH, SATISFIED_FROM, Answer, Question, RatingChannel


def _answer(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, choices=Answer.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


ANSWER_SUM = F("processing_time") + F("contacts") + F("staff_attitude") + F("overall")


class Rating(models.Model):
    """The applicant's rating of one dossier's service (see the module's docstring for the scale)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="rating"
    )
    processing_time = _answer(Question.PROCESSING_TIME.label)
    contacts = _answer(Question.CONTACTS.label)
    staff_attitude = _answer(Question.STAFF_ATTITUDE.label)
    overall = _answer(Question.OVERALL.label)
    comment = models.TextField(_("góp ý"), max_length=COMMENT_MAX_LENGTH, blank=True)
    channel = models.CharField(_("hình thức đánh giá"), max_length=10, choices=RatingChannel.choices)
    # The applicant's account (online, API); none at the kiosk.
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày đánh giá"), default=clock.now)
    updated_at = models.DateTimeField(_("ngày sửa"), default=clock.now)
    edits = models.PositiveSmallIntegerField(_("số lần sửa"), default=0)
    satisfied = models.GeneratedField(
        expression=ExpressionWrapper(Q(overall__gte=SATISFIED_FROM), output_field=models.BooleanField()),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("hài lòng"),
    )
    score = models.GeneratedField(
        expression=(ANSWER_SUM - 4) * 100 / 16,
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("điểm (0–100)"),
    )

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], name="rating_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(processing_time__range=(1, 5))
                & Q(contacts__range=(1, 5))
                & Q(staff_attitude__range=(1, 5))
                & Q(overall__range=(1, 5)),
                name="rating_answers_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.get_overall_display()}"

    def answers(self) -> list[tuple[str, int, str]]:
        """(question, answer, answer's label) for each question, in order."""
        return [
            (
                str(question.label),
                getattr(self, question.value),
                str(Answer(getattr(self, question.value)).label),
            )
            for question in Question
        ]
