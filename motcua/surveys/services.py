"""Giving or changing a dossier's satisfaction rating, and finding a dossier at the kiosk.

``rate`` runs in one transaction: it locks the dossier's row (the order every writer of a dossier
follows), asks ``surveys.rules.check`` on the locked row, writes the one rating of the dossier (or
changes it while it may still be changed), an audit row and the dossier event ``rated``
(``dossiers.events.RATED``, through the outbox), from which the reports recount the dossier.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import audit, ratelimit
from motcua.dossiers import events
from motcua.dossiers.errors import DossierError, InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier
from motcua.surveys import rules
from motcua.surveys.constants import COMMENT_MAX_LENGTH, Answer, Question, RatingChannel
from motcua.surveys.models import Rating

# The field of the kiosk's second fact, in the forms and in the errors.
PROOF_FIELD = "proof"
CODE_FIELD = "code"


class TooManyAttempts(DossierError):
    """Too many tries of one dossier's code at the kiosk: come back later."""

    status_code = 429

    def __init__(self, message: str, wait: int):
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Saved:
    rating: Rating
    created: bool


def clean_answers(data: Mapping[str, Any]) -> dict[str, Any]:
    """The four answers (1–5) and the comment, or InvalidInput naming each field at fault."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in Question:
        raw = data.get(question.value)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors[question.value] = [_("Vui lòng chọn một mức đánh giá.")]
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if isinstance(raw, bool) or value not in Answer.values:
            errors[question.value] = [_("Mức đánh giá phải từ 1 đến 5.")]
            continue
        values[question.value] = value
    comment = data.get("comment") or ""
    if not isinstance(comment, str):
        errors["comment"] = [_("Phải là một chuỗi ký tự.")]
    elif len(comment.strip()) > COMMENT_MAX_LENGTH:
        errors["comment"] = [_("Tối đa %(n)s ký tự.") % {"n": COMMENT_MAX_LENGTH}]
    else:
        values["comment"] = comment.strip()
    if errors:
        raise InvalidInput(_("Vui lòng kiểm tra các câu trả lời được đánh dấu."), errors=errors)
    return values


def rate(
    dossier: Dossier | int,
    answers: Mapping[str, Any],
    *,
    by: User | None,
    channel: str,
    proof: str = "",
) -> Saved:
    """Give the dossier's rating, or change it while it may be changed (7 days after it was first
    given). ``by`` is the applicant (online, API) or None at the kiosk, where ``proof`` (the last four
    digits of the applicant's phone or identity number) must match."""
    if channel not in RatingChannel.values:
        raise ValueError(f"unknown rating channel {channel!r}")
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    actor = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        row = Dossier.objects.select_for_update().get(pk=pk)
        facts = rules.RatingFacts(row, actor, proof=proof)
        rules.check(actor, facts)
        values = clean_answers(answers)
        rating = facts.rating
        created = rating is None
        if rating is None:
            rating = Rating(dossier=row, channel=channel, rater=actor, created_at=facts.now)
        else:
            rating.edits += 1
        for name, value in values.items():
            setattr(rating, name, value)
        rating.channel, rating.updated_at = channel, facts.now
        if actor is not None:
            rating.rater = actor
        rating.save()
        audit.record(
            "surveys.rate" if created else "surveys.change_rating",
            actor=actor,
            obj=row,
            summary=str(row),
            channel=channel,
            answers={q.value: values[q.value] for q in Question},
        )
        events.publish(row.pk, events.RATED, row.status)
    return Saved(rating, created)


def kiosk_dossier(code: str, proof: str) -> Dossier:
    """The dossier a person at the kiosk names by its code and the second fact; one message whether the
    code is unknown or the second fact wrong (codes cannot be probed). Each code may be tried
    MOTCUA_RATING_PROOF_RATE times (per day by default), so four digits cannot be guessed."""
    code = (code or "").strip().upper()
    if not code:
        raise InvalidInput(_("Vui lòng nhập mã hồ sơ."), errors={CODE_FIELD: [_("Vui lòng nhập mã hồ sơ.")]})
    wait = ratelimit.hit("rating_proof", code, ratelimit.rate_of("MOTCUA_RATING_PROOF_RATE"))
    if wait:
        raise TooManyAttempts(
            _("Mã hồ sơ này đã được thử quá nhiều lần. Vui lòng thử lại sau %(hours)s giờ.")
            % {"hours": math.ceil(wait / 3600)},
            wait,
        )
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None or not rules.RatingFacts(dossier, None, proof=proof).proof_matches:
        message = _("Mã hồ sơ hoặc 4 chữ số cuối không khớp với hồ sơ nào.")
        raise NotAllowed(message, errors={PROOF_FIELD: [message]})
    return dossier
