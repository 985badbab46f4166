"""Reads for dossiers: who may see what, inboxes, the public lookup and the timeline.

A citizen sees only their own dossiers; an officer only those their agencies receive, hold or
were consulted on. Every list below starts from one of those two scopes.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from motcua.accounts.constants import AccountKind
from motcua.accounts.models import User
from motcua.accounts.selectors import visible_agencies
from motcua.calendar.selectors import compute_due
from motcua.calendar.workdays import DueDate
from motcua.dossiers.constants import NATIONAL_STATUS, OPEN_STATUSES, AttachmentKind, Status
from motcua.dossiers.models import Attachment, Dossier, Step

INBOX_STATUSES = [
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT,
    Status.PAYMENT,
    Status.READY,
]
DUE_SOON = datetime.timedelta(days=2)


def _list_related(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.select_related(
        "procedure_version__procedure", "holder_agency", "receiving_agency", "holder_user", "current_step"
    )


def visible_to(user: User) -> QuerySet[Dossier]:
    """Every dossier ``user`` may open."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if user.kind != AccountKind.STAFF:
        return Dossier.objects.filter(applicant=user)
    agencies = visible_agencies(user)
    consulted = Step.objects.filter(dossier=OuterRef("pk"), agency__in=agencies)
    return Dossier.objects.exclude(status=Status.DRAFT).filter(
        Q(receiving_agency__in=agencies)
        | Q(holder_agency__in=agencies)
        | Q(deciding_agency__in=agencies)
        | Exists(consulted)
    )


def get_visible(user: User, *, code: str | None = None, pk: int | None = None, public_id=None) -> Dossier:
    """The dossier if ``user`` may see it; a 404 otherwise (whether or not it exists)."""
    lookup = {"code": code.strip().upper()} if code else {"pk": pk} if pk else {"public_id": public_id}
    dossier = _list_related(visible_to(user)).filter(**lookup).first()
    if dossier is None:
        raise Http404
    return dossier


def for_applicant(user: User) -> QuerySet[Dossier]:
    return _list_related(Dossier.objects.filter(applicant=user)).order_by("-created_at", "-id")


@dataclass(frozen=True)
class InboxFilters:
    status: int | None = None
    procedure: str = ""
    agency: str = ""
    overdue: bool = False
    due_soon: bool = False
    mine: bool = False


@dataclass(frozen=True)
class Page:
    rows: list[Dossier]
    next_cursor: str | None
    has_previous: bool


def inbox(
    user: User,
    filters: InboxFilters = InboxFilters(),
    *,
    after: str | None = None,
    size: int = 25,
) -> Page:
    """The dossiers an officer's agencies hold (or receive), soonest deadline first.

    Keyset pagination on (due_at, id): each page costs the same at a million dossiers, where an
    OFFSET would read and skip every earlier row.
    """
    agencies = list(visible_agencies(user).values_list("pk", flat=True))
    dossiers = Dossier.objects.filter(holder_agency__in=agencies, status__in=INBOX_STATUSES)
    if filters.mine:
        dossiers = dossiers.filter(holder_user=user)
    if filters.status is not None:
        dossiers = dossiers.filter(status=filters.status)
    if filters.procedure:
        dossiers = dossiers.filter(procedure_version__procedure__code=filters.procedure)
    if filters.agency:
        dossiers = dossiers.filter(holder_agency__code=filters.agency)
    now = timezone.now()
    if filters.overdue:
        dossiers = dossiers.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    elif filters.due_soon:
        dossiers = dossiers.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lt=now + DUE_SOON)
    # Dossiers without a deadline yet (not received) sort last.
    if after:
        due_text, _sep, pk_text = after.partition("_")
        try:
            due = datetime.datetime.fromisoformat(due_text) if due_text != "none" else None
            last_pk = int(pk_text)
        except ValueError:
            after, due, last_pk = None, None, 0  # a mangled cursor starts again from the first page
    if after:
        if due is None:
            dossiers = dossiers.filter(due_at__isnull=True, pk__gt=last_pk)
        else:
            dossiers = dossiers.filter(
                Q(due_at__gt=due) | Q(due_at=due, pk__gt=last_pk) | Q(due_at__isnull=True)
            )
    rows = list(_list_related(dossiers).order_by(F("due_at").asc(nulls_last=True), "id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor = None
    if more and rows:
        last = rows[-1]
        cursor = f"{last.due_at.isoformat() if last.due_at else 'none'}_{last.pk}"
    return Page(rows=rows, next_cursor=cursor, has_previous=bool(after))


def pending_consultations(user: User) -> list[Step]:
    """Questions other units asked the officer's agencies (xin ý kiến) that await an answer."""
    agencies = visible_agencies(user)
    return list(
        Step.objects.filter(kind="consultation", completed_at__isnull=True, agency__in=agencies)
        .exclude(dossier__status__in=[Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED])
        .select_related("dossier__procedure_version", "dossier__holder_agency", "agency")
        .order_by("due_at", "id")[:100]
    )


def reception_queue(user: User, *, after: int | None = None, size: int = 25) -> list[Dossier]:
    """New online dossiers (status 1) waiting at the officer's receiving agencies, oldest first."""
    agencies = visible_agencies(user).filter(receives_dossiers=True)
    dossiers = Dossier.objects.filter(receiving_agency__in=agencies, status=Status.SUBMITTED)
    if after:
        dossiers = dossiers.filter(pk__gt=after)
    return list(_list_related(dossiers).order_by("submitted_at", "id")[:size])


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding a dossier code may know: no personal data."""

    code: str
    procedure: str
    status: int
    status_label: str
    national_status: str
    due_at: datetime.datetime | None


def public_lookup(code: str) -> PublicStatus | None:
    row = (
        Dossier.objects.filter(code=code.strip().upper())
        .values("code", "procedure_version__name", "status", "due_at")
        .first()
    )
    if row is None:
        return None
    status = Status(row["status"])
    return PublicStatus(
        code=str(row["code"]),
        procedure=row["procedure_version__name"],
        status=status.value,
        status_label=str(status.label),
        national_status=NATIONAL_STATUS[status],
        due_at=row["due_at"],
    )


# What an applicant reads of an action's note: the messages addressed to them, not officers' internal notes.
APPLICANT_NOTES = {
    "submit",
    "supplement",
    "request_supplement",
    "refuse",
    "withdraw",
    "stop",
    "apologize",
    "return_result",
    "request_payment",
}
APPLICANT_FILES = [
    AttachmentKind.APPLICANT,
    AttachmentKind.SCAN,
    AttachmentKind.NOTICE,
    AttachmentKind.RESULT,
]


def timeline(dossier: Dossier, *, audience: str = "staff") -> list:
    """The history; for the applicant (``audience="applicant"``) without internal notes or names."""
    actions = list(
        dossier.actions.select_related("actor", "step", "agency")
        .prefetch_related("attachments")
        .order_by("at", "id")
    )
    if audience == "applicant":
        for action in actions:
            if action.type not in APPLICANT_NOTES:
                action.note = ""
            action.actor = None
    return actions


def issued_documents(dossier: Dossier) -> QuerySet[Attachment]:
    """The documents issued to the applicant: notices (receipt, requests...) and the result."""
    return dossier.attachments.filter(
        kind__in=[AttachmentKind.NOTICE, AttachmentKind.RESULT], superseded=False
    ).order_by("uploaded_at")


def clock_start(dossier: Dossier) -> datetime.datetime | None:
    """When the deadline's clock started: at reception, or at the last resubmission when the procedure
    restarts the clock after a supplement."""
    restarted = dossier.actions.filter(type="supplement", data__clock="restarted").order_by("-at").first()
    return restarted.at if restarted is not None else dossier.received_at


def closed_pauses(
    dossier: Dossier, since: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The finished stops of the clock after ``since`` (an open one is not counted yet)."""
    return [
        (p.started_at, p.ended_at)
        for p in dossier.pauses.filter(ended_at__isnull=False, started_at__gte=since).order_by("started_at")
        if p.ended_at is not None
    ]


def deadline(dossier: Dossier) -> DueDate | None:
    """The legal deadline recomputed from the calendar, with its explanation (None before reception)."""
    start = clock_start(dossier)
    if start is None:
        return None
    version = dossier.procedure_version
    return compute_due(
        start,
        version.processing_time,
        version.time_unit,
        agency=dossier.deciding_agency_id or dossier.receiving_agency_id,
        pauses=closed_pauses(dossier, start),
    )


def can_download(user: User, attachment: Attachment) -> bool:
    """Staff of the dossier's agencies: every file; the applicant: their papers, notices and the result."""
    if not visible_to(user).filter(pk=attachment.dossier_id).exists():
        return False
    return user.kind == AccountKind.STAFF or attachment.kind in APPLICANT_FILES
