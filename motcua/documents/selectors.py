"""Reads of the documents app: registers, who sees which document, lists, and the indicators the
reports read (documents issued, signed digitally, sent electronically, and the shares)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import Membership, User
from motcua.core import clock
from motcua.core.text import fold
from motcua.documents.constants import (
    OPEN_INCOMING,
    REMOTE_STATUS_LABELS,
    ActionType,
    Channel,
    Direction,
    Status,
)
from motcua.documents.models import OfficialDocument, Recipient, Register
from motcua.signing.constants import RequestState
from motcua.signing.models import SigningRequest

DOCUMENT_ROLES = (Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.RECEPTION)


def register_for(agency_id: int, direction: str, now: datetime.datetime | None = None) -> Register | None:
    """The register that numbers ``agency``'s documents of ``direction`` now: one kept for this year,
    else one kept over the years (restarting on 1 January)."""
    year = clock.localdate().year if now is None else _local_year(now)
    return (
        Register.objects.filter(agency_id=agency_id, direction=direction, is_active=True)
        .filter(Q(year=year) | Q(year__isnull=True))
        .order_by("year", "id")  # NULLS LAST on both backends: this year's register first
        .first()
    )


def _local_year(now: datetime.datetime) -> int:
    from django.utils import timezone

    return timezone.localdate(now).year


def agencies_of(user: User) -> list[int]:
    """The agencies whose documents ``user`` works on."""
    if not user.is_authenticated or user.kind != AccountKind.STAFF:
        return []
    return list(
        Membership.objects.filter(user=user, role__in=DOCUMENT_ROLES)
        .values_list("agency_id", flat=True)
        .distinct()
    )


def visible_to(user: User) -> QuerySet[OfficialDocument]:
    """Documents of the agencies ``user`` works at, and those assigned to them. Anything else is a 404."""
    if not user.is_authenticated or user.kind != AccountKind.STAFF:
        return OfficialDocument.objects.none()
    return OfficialDocument.objects.filter(Q(agency_id__in=agencies_of(user)) | Q(handler=user))


def search(
    user: User,
    *,
    direction: str | None = None,
    status: str | None = None,
    q: str = "",
    overdue: bool = False,
    mine: bool = False,
) -> QuerySet[OfficialDocument]:
    documents = visible_to(user).select_related("agency", "document_type", "handler", "register")
    if direction:
        documents = documents.filter(direction=direction)
    if status:
        documents = documents.filter(status=status)
    if overdue:
        documents = documents.filter(status__in=OPEN_INCOMING, due_on__lt=clock.localdate())
    if mine:
        documents = documents.filter(handler=user)
    q = (q or "").strip()
    if q:
        documents = documents.filter(
            Q(summary__icontains=q)
            | Q(notation__icontains=q)
            | Q(sender_name__icontains=q)
            | Q(sender_notation__icontains=q)
        )
    return documents.order_by("-updated_at", "-id")


def get_visible(user: User, pk: int) -> OfficialDocument | None:
    return (
        visible_to(user)
        .select_related("agency", "document_type", "register", "handler", "department", "answers", "dossier")
        .filter(pk=pk)
        .first()
    )


def staff_of(agency_id: int, roles=DOCUMENT_ROLES) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__agency_id=agency_id, memberships__role__in=roles, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def departments_of(agency) -> list:
    """The units a leader may give a document to: the agency itself and its child agencies."""
    from motcua.agencies.models import Agency

    return [agency, *Agency.objects.filter(parent=agency, is_active=True).order_by("name")]


def history(document: OfficialDocument):
    return document.actions.select_related("actor").order_by("at", "id")


# What the sender changed after sending, and the recipients' answers about it (edXML 13, 15, 16).
CHANGE_ACTIONS = (ActionType.RECALL_SENT, ActionType.UPDATE_SENT, ActionType.REPLACE_SENT)
CHANGE_ANSWERS = ("13", "15", "16")


def remote_answers(document: OfficialDocument) -> list[dict]:
    """The sent document's recalls, updates and replacements, each followed by the recipients'
    answers (accepted, recalled, refused, with what they said), oldest first."""
    names = dict(document.recipients.values_list("pk", "name"))
    lines = []
    for line in history(document).filter(
        Q(type__in=CHANGE_ACTIONS) | Q(type=ActionType.REMOTE_STATUS, data__status_code__in=CHANGE_ANSWERS)
    ):
        code = line.data.get("status_code", "")
        lines.append(
            {
                "at": line.at,
                "asked": line.type != ActionType.REMOTE_STATUS,
                "what": line.get_type_display() if not code else REMOTE_STATUS_LABELS.get(code, code),
                "code": code,
                "recipient": names.get(line.data.get("recipient"), ""),
                "note": line.note,
                "actor": line.actor,
            }
        )
    return lines


def matches(text: str, needle: str) -> bool:
    return fold(needle) in fold(text)


# -- indicators for the reports


@dataclass(frozen=True)
class Indicators:
    """Outgoing documents of an agency issued in a period: how many, how many signed digitally, how
    many sent electronically (at least one recipient on the exchange), and the shares (0–1)."""

    agency_id: int
    issued: int
    signed_digitally: int
    sent_electronically: int

    @property
    def signed_share(self) -> float:
        return self.signed_digitally / self.issued if self.issued else 0.0

    @property
    def electronic_share(self) -> float:
        return self.sent_electronically / self.issued if self.issued else 0.0


def indicators(start: datetime.date, end: datetime.date, agency_ids=None) -> list[Indicators]:
    """Per agency, for documents issued from ``start`` to ``end`` (both included)."""
    electronic = Recipient.objects.filter(document=OuterRef("pk"), channel=Channel.ELECTRONIC)
    issued = OfficialDocument.objects.filter(
        direction=Direction.OUTGOING,
        status__in=[Status.ISSUED, Status.SENT],
        issued_on__gte=start,
        issued_on__lte=end,
    )
    if agency_ids is not None:
        issued = issued.filter(agency_id__in=list(agency_ids))
    rows = (
        issued.annotate(electronic=Exists(electronic))
        .values("agency_id")
        .annotate(
            issued=Count("id"),
            signed=Count("id", filter=Q(signed_digitally=True)),
            sent=Count("id", filter=Q(electronic=True, status=Status.SENT)),
        )
        .order_by("agency_id")
    )
    return [Indicators(r["agency_id"], r["issued"], r["signed"], r["sent"]) for r in rows]


def indicators_of(agency_id: int, start: datetime.date, end: datetime.date) -> Indicators:
    found = indicators(start, end, [agency_id])
    return found[0] if found else Indicators(agency_id, 0, 0, 0)


def waiting_signature(document: OfficialDocument) -> SigningRequest | None:
    """The remote signature of ``document`` waiting for its signer's confirmation, if any."""
    return (
        SigningRequest.objects.filter(document=document, state=RequestState.WAITING)
        .select_related("certificate", "signer")
        .first()
    )


def last_signature_request(document: OfficialDocument) -> SigningRequest | None:
    """The latest remote signature request of ``document`` (what its page tells about it)."""
    return SigningRequest.objects.filter(document=document).order_by("-created_at", "-id").first()
