from django.db import models
from django.utils.translation import gettext_lazy as _


class Answer(models.IntegerChoices):
    """The answer to each question, on the five-level scale of the national satisfaction surveys
    (Decision 766/QĐ-TTg, đánh giá mức độ hài lòng): 5 is the best. A rating counts as satisfied when
    its overall answer is at least ``SATISFIED_FROM`` (hài lòng or rất hài lòng)."""

    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    ACCEPTABLE = 3, _("Chấp nhận được")
    DISSATISFIED = 2, _("Không hài lòng")
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")


SATISFIED_FROM = Answer.SATISFIED


class Question(models.TextChoices):
    """The four questions of a rating, each answered on the ``Answer`` scale; the value is the field's
    name on the model, in the API and in the forms."""

    PROCESSING_TIME = "processing_time", _("Thời gian giải quyết hồ sơ")
    CONTACTS = "contacts", _("Số lần phải đi lại, liên hệ với cơ quan")
    STAFF_ATTITUDE = "staff_attitude", _("Thái độ phục vụ của cán bộ")
    OVERALL = "overall", _("Mức độ hài lòng chung")


class RatingChannel(models.TextChoices):
    """Where the rating was given: the applicant's dossier page, the kiosk at the counter (no login: the
    dossier code and a second fact), or the API (the applicant's token)."""

    ONLINE = "online", _("Trên Cổng dịch vụ công")
    KIOSK = "kiosk", _("Tại quầy (máy đánh giá)")
    API = "api", _("Qua API")


# The longest comment kept.
COMMENT_MAX_LENGTH = 2000
# How many trailing digits of the applicant's phone or identity number the kiosk asks for.
PROOF_DIGITS = 4
