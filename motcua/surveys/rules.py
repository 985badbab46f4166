"""Who may rate a dossier, and when: the one rule the applicant's page, the kiosk and the API ask, and
the service checks under the dossier's row lock.

It is not an action of the dossier's table (motcua.dossiers.rules.TRANSITIONS: rating changes nothing
of the dossier) but it reads the same ``Facts``, with what the rule needs besides (the rating already
given, the second fact typed at the kiosk), and answers the same way: a ``rules`` predicate for who,
conditions for when, ``NotAllowed`` (403) and ``WrongState`` (409) from ``check``. It is a Django
permission too: ``user.has_perm("surveys.rate", dossier)``.

- Who: the dossier's applicant (online, API), or at the kiosk, without an account, someone who types
  the dossier's code and the last four digits of the applicant's phone number or identity number (so
  that a guessed code is not enough to rate someone else's dossier).
- When: after the result is returned (status 10, as issue 10 says: a refused, withdrawn or stopped
  dossier has no service to rate); one rating per dossier, changed within ``MOTCUA_RATING_EDIT_DAYS``
  days (7) of when it was first given, read only after.
"""

import datetime
import hmac
import re
from dataclasses import dataclass
from functools import cached_property

import rules
from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.dossiers.constants import Status
from motcua.dossiers.errors import NotAllowed, WrongState
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Condition, Facts, is_applicant
from motcua.surveys.constants import PROOF_DIGITS
from motcua.surveys.models import Rating


def edit_days() -> int:
    return int(getattr(settings, "MOTCUA_RATING_EDIT_DAYS", 7))


def _last_digits(value: str | None) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[-PROOF_DIGITS:] if len(digits) >= PROOF_DIGITS else ""


class RatingFacts(Facts):
    """The dossier's ``Facts`` and what rating it needs: the rating already given and, at the kiosk,
    the second fact typed (``proof``). Build it on the locked row inside the service."""

    def __init__(self, dossier: Dossier, user: User | None, *, proof: str = "", now=None):
        super().__init__(dossier, user, now=now)
        self.proof = (proof or "").strip()

    @cached_property
    def rating(self) -> Rating | None:
        if self.dossier.pk is None:
            return None
        return Rating.objects.filter(dossier_id=self.dossier.pk).first()

    @property
    def editable_until(self) -> datetime.datetime | None:
        """Until when the rating given may be changed (None before it is given)."""
        rating = self.rating
        return rating.created_at + datetime.timedelta(days=edit_days()) if rating is not None else None

    @cached_property
    def proof_matches(self) -> bool:
        """The kiosk's second fact is the last digits of the applicant's phone or identity number."""
        typed = self.proof
        if not re.fullmatch(rf"\d{{{PROOF_DIGITS}}}", typed):
            return False
        dossier = self.dossier
        known = [_last_digits(dossier.applicant_phone), _last_digits(dossier.applicant_identity)]
        # Both compared, in constant time: the answer's timing tells nothing.
        matches = [hmac.compare_digest(typed, value) for value in known if value]
        return any(matches)


def facts_of(obj: "Dossier | RatingFacts", user: User | None, *, proof: str = "") -> RatingFacts:
    return obj if isinstance(obj, RatingFacts) else RatingFacts(obj, user, proof=proof)


# ---------------------------------------------------------------------------------------------
# Who


@rules.predicate
def knows_the_dossier(user: User | None, facts: RatingFacts) -> bool:
    """At the kiosk, no account: the dossier's code (how it was found) and the second fact."""
    return facts.proof_matches


MAY_RATE = is_applicant | knows_the_dossier


# ---------------------------------------------------------------------------------------------
# When

RETURNED = Condition(
    lambda f: f.status == Status.RETURNED,
    gettext_lazy("Chỉ đánh giá được sau khi hồ sơ đã trả kết quả."),
)


def _read_only_message() -> str:
    return _("Đánh giá đã gửi quá %(days)s ngày nên không sửa được nữa.") % {"days": edit_days()}


def _still_editable(facts: Facts) -> bool:
    until = facts.editable_until if isinstance(facts, RatingFacts) else None
    return until is None or facts.now < until


STILL_EDITABLE = Condition(_still_editable, lazy(_read_only_message, str)())
CONDITIONS = (RETURNED, STILL_EDITABLE)


@dataclass(frozen=True)
class Verdict:
    """May this person rate (or change the rating of) this dossier now? ``reason`` says why not when
    they could rate it but not now (the page shows it); an empty reason: not theirs to rate."""

    allowed: bool
    reason: str | Promise = ""
    editing: bool = False


def judge(user: User | None, facts: RatingFacts) -> Verdict:
    """The verdict, without raising."""
    editing = facts.rating is not None
    if not MAY_RATE.test(user, facts):
        return Verdict(False, editing=editing)
    for condition in CONDITIONS:
        if not condition.test(facts):
            return Verdict(False, str(condition.message), editing=editing)
    return Verdict(True, editing=editing)


def check(user: User | None, facts: RatingFacts) -> None:
    """Raise NotAllowed (403) if this person may not rate the dossier at all, WrongState (409) if not
    now (not returned yet, or the rating is read only)."""
    if not MAY_RATE.test(user, facts):
        raise NotAllowed(_("Ông/bà không có quyền đánh giá hồ sơ này."))
    for condition in CONDITIONS:
        if not condition.test(facts):
            raise WrongState(str(condition.message))


def may_rate(user: User | None, dossier: "Dossier | RatingFacts", *, proof: str = "") -> bool:
    return judge(user, facts_of(dossier, user, proof=proof)).allowed


@rules.predicate
def _rate_permission(user: User, obj: "Dossier | RatingFacts | None") -> bool:
    return obj is not None and may_rate(user, obj)


rules.add_perm("surveys.rate", _rate_permission)
