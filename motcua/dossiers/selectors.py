"""Reads for dossiers: who may see what, inboxes, the public lookup and the timeline.

A citizen sees only their own dossiers; an officer only those their agencies receive, hold or
were consulted on. Every list below starts from one of those two scopes.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from motcua.accounts.constants import AccountKind
from motcua.accounts.models import ApiClient, User
from motcua.accounts.selectors import visible_agencies
from motcua.dossiers.constants import (
    NATIONAL_STATUS,
    OPEN_STATUSES,
    ActionType,
    AttachmentKind,
    ResultDelivery,
    Status,
    StepKind,
)
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


def with_related() -> QuerySet[Dossier]:
    """Dossiers with what pages and answers show of them joined in (procedure, agencies, holder, step):
    for ``refresh_from_db(from_queryset=...)`` after a change, which otherwise drops them."""
    return _list_related(Dossier.objects.all())


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


def visible_to_client(client: ApiClient) -> QuerySet[Dossier]:
    """Every dossier an API client sees: those its agencies receive, hold or decide (every one if it is
    province-wide), never a draft. The scope itself (dossiers.read) is the caller's to ask; one dossier
    is judged the same way by ``rules.client_sees_dossier``."""
    dossiers = Dossier.objects.exclude(status=Status.DRAFT)
    if client.province_wide:
        return dossiers
    agencies = list(client.agency_ids)
    if not agencies:
        return Dossier.objects.none()
    return dossiers.filter(
        Q(receiving_agency__in=agencies) | Q(holder_agency__in=agencies) | Q(deciding_agency__in=agencies)
    )


def get_visible_to_client(client: ApiClient, *, code: str | None = None, public_id=None) -> Dossier:
    """The dossier if the client sees it; a 404 otherwise (whether or not it exists)."""
    lookup = {"code": code.strip().upper()} if code else {"public_id": public_id}
    dossier = _list_related(visible_to_client(client)).filter(**lookup).first()
    if dossier is None:
        raise Http404
    return dossier


def for_client(client: ApiClient) -> QuerySet[Dossier]:
    """The client's dossiers, newest first."""
    return _list_related(visible_to_client(client)).order_by("-created_at", "-id")


def get_visible(user: User, *, code: str | None = None, pk: int | None = None, public_id=None) -> Dossier:
    """The dossier if ``user`` may see it; a 404 otherwise (whether or not it exists)."""
    lookup = {"code": code.strip().upper()} if code else {"pk": pk} if pk else {"public_id": public_id}
    dossier = _list_related(visible_to(user)).filter(**lookup).first()
    if dossier is None:
        raise Http404
    return dossier


def claimable_by(user: User) -> QuerySet[Dossier]:
    """Dossiers submitted under ``user``'s verified identity number by an account not verified for it,
    which ``user`` may claim (rules.is_verified_owner asks the same of one dossier)."""
    if not (user.is_authenticated and user.kind != AccountKind.STAFF and user.identity_verified):
        return Dossier.objects.none()
    return (
        _list_related(Dossier.objects.filter(applicant_identity=user.identity_number))
        .exclude(status=Status.DRAFT)
        .exclude(applicant=user)
        .exclude(applicant__identity_number=user.identity_number, applicant__identity_assurance__gt=0)
        .order_by("-submitted_at", "-id")
    )


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


# Dossiers without a deadline yet (not received) sort after all the others.
NO_DEADLINE = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
# The same text as the index of migration dossiers/0002, so that PostgreSQL can use it.
_SORT = "COALESCE(x.due_at, '9999-12-31 00:00:00+00'::timestamptz)"


def _encode_cursor(moment: datetime.datetime | None, pk: int) -> str:
    return f"{moment.isoformat() if moment else 'none'}_{pk}"


def _decode_cursor(after: str | None) -> tuple[datetime.datetime, int] | None:
    if not after:
        return None
    due_text, _sep, pk_text = after.partition("_")
    try:
        due = NO_DEADLINE if due_text == "none" else datetime.datetime.fromisoformat(due_text)
        return due, int(pk_text)
    except ValueError:
        return None  # a mangled cursor starts again from the first page


def inbox(
    user: User,
    filters: InboxFilters = InboxFilters(),
    *,
    after: str | None = None,
    size: int = 25,
) -> Page:
    """The dossiers an officer's agencies hold, soonest deadline first, ``size`` at a time.

    Keyset pagination on (deadline, id): every page costs the same at a million dossiers, where an
    OFFSET would read and skip every earlier row. On PostgreSQL the page's ids come from one index
    range per (agency, status) pair (a LATERAL join), so an officer of several agencies or a status
    filter does not make the database sort every open dossier (docs/performance.md).
    """
    agencies = visible_agencies(user)
    if filters.agency:
        agencies = agencies.filter(code=filters.agency)
    agency_ids = list(agencies.values_list("pk", flat=True))
    statuses = [s for s in INBOX_STATUSES if filters.status is None or s == filters.status]
    if filters.overdue or filters.due_soon:
        statuses = [s for s in statuses if s in OPEN_STATUSES]
    cursor = _decode_cursor(after)
    if not agency_ids or not statuses:
        return Page(rows=[], next_cursor=None, has_previous=cursor is not None)
    now = timezone.now()
    if connection.vendor == "postgresql":
        ids = _inbox_ids_postgresql(user, filters, agency_ids, statuses, cursor, size + 1, now)
    else:
        ids = _inbox_ids_portable(user, filters, agency_ids, statuses, cursor, size + 1, now)
    more = len(ids) > size
    ids = ids[:size]
    by_id = {d.pk: d for d in _list_related(Dossier.objects.filter(pk__in=ids))}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode_cursor(last.due_at, last.pk)
    return Page(rows=rows, next_cursor=next_cursor, has_previous=cursor is not None)


def _inbox_ids_postgresql(user, filters, agency_ids, statuses, cursor, limit, now) -> list[int]:
    conditions = [
        "x.holder_agency_id = a.id",
        "x.status = s.status",
        # Repeats the partial index's predicate so the planner may use it.
        f"x.status IN ({', '.join(str(int(s)) for s in INBOX_STATUSES)})",
    ]
    params: list = []
    if filters.overdue:
        conditions.append("x.due_at < %s")
        params.append(now)
    elif filters.due_soon:
        conditions.append("x.due_at >= %s AND x.due_at < %s")
        params += [now, now + DUE_SOON]
    if filters.mine:
        conditions.append("x.holder_user_id = %s")
        params.append(user.pk)
    if filters.procedure:
        conditions.append(
            "x.procedure_version_id IN (SELECT v.id FROM catalog_procedureversion v "
            "JOIN catalog_procedure p ON p.id = v.procedure_id WHERE p.code = %s)"
        )
        params.append(filters.procedure)
    if cursor is not None:
        conditions.append(f"({_SORT}, x.id) > (%s, %s)")
        params += list(cursor)
    # Only fixed fragments are joined into the text; every value is a parameter.
    sql = (
        "SELECT d.id FROM unnest(%s::bigint[]) AS a(id) CROSS JOIN unnest(%s::smallint[]) AS s(status) "  # noqa: S608
        f"CROSS JOIN LATERAL (SELECT x.id, {_SORT} AS sort_due FROM dossiers_dossier x "
        f"WHERE {' AND '.join(conditions)} ORDER BY {_SORT}, x.id LIMIT %s) d "
        "ORDER BY d.sort_due, d.id LIMIT %s"
    )
    with connection.cursor() as db:
        db.execute(sql, [agency_ids, statuses, *params, limit, limit])
        return [row[0] for row in db.fetchall()]


def _inbox_ids_portable(user, filters, agency_ids, statuses, cursor, limit, now) -> list[int]:
    dossiers = Dossier.objects.filter(holder_agency__in=agency_ids, status__in=statuses).annotate(
        sort_due=Coalesce("due_at", Value(NO_DEADLINE))
    )
    if filters.overdue:
        dossiers = dossiers.filter(due_at__lt=now)
    elif filters.due_soon:
        dossiers = dossiers.filter(due_at__gte=now, due_at__lt=now + DUE_SOON)
    if filters.mine:
        dossiers = dossiers.filter(holder_user=user)
    if filters.procedure:
        dossiers = dossiers.filter(procedure_version__procedure__code=filters.procedure)
    if cursor is not None:
        due, last_pk = cursor
        dossiers = dossiers.filter(Q(sort_due__gt=due) | Q(sort_due=due, pk__gt=last_pk))
    return list(dossiers.order_by("sort_due", "id").values_list("pk", flat=True)[:limit])


def pending_consultations(user: User) -> list[Step]:
    """Questions other units asked the officer's agencies (xin ý kiến) that await an answer."""
    agencies = visible_agencies(user)
    return list(
        Step.objects.filter(kind=StepKind.CONSULTATION, completed_at__isnull=True, agency__in=agencies)
        .exclude(dossier__status__in=[Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED])
        .select_related("dossier__procedure_version", "dossier__holder_agency", "agency")
        .order_by("due_at", "id")[:100]
    )


@dataclass(frozen=True)
class QueuePage(Page):
    waiting: int = 0  # dossiers waiting in all, with the same filters


def reception_queue(
    user: User, *, procedure: str = "", agency: str = "", after: str | None = None, size: int = 25
) -> QueuePage:
    """New online dossiers (status 1) waiting at the officer's receiving agencies, longest waiting
    first (the queue is worked from its oldest end), ``size`` at a time after the cursor ``after``.

    Keyset pages on (submitted_at, id), read from dossier_reception_idx (receiving agency, status,
    submitted_at, id); a mangled cursor starts from the first page. ``procedure`` is a procedure code,
    ``agency`` an agency code among the officer's: anything else matches nothing."""
    agencies = visible_agencies(user).filter(receives_dossiers=True)
    if agency:
        agencies = agencies.filter(code=agency)
    waiting = Dossier.objects.filter(receiving_agency__in=agencies, status=Status.SUBMITTED)
    if procedure:
        waiting = waiting.filter(procedure_version__procedure__code=procedure)
    cursor = _decode_cursor(after)
    page = waiting
    if cursor is not None:
        submitted_at, pk = cursor
        page = page.filter(Q(submitted_at__gt=submitted_at) | Q(submitted_at=submitted_at, id__gt=pk))
    rows = list(_list_related(page).order_by("submitted_at", "id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more and rows and rows[-1].submitted_at is not None:
        next_cursor = _encode_cursor(rows[-1].submitted_at, rows[-1].pk)
    return QueuePage(
        rows=rows, next_cursor=next_cursor, has_previous=cursor is not None, waiting=waiting.count()
    )


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding a dossier code may know: no personal data."""

    code: str
    procedure: str
    status: int
    status_label: str
    national_status: str
    due_at: datetime.datetime | None
    # How the result is received and, by post, the parcel's number: the address stays private.
    result_delivery: str = ""
    postal_tracking_number: str = ""

    @property
    def result_delivery_label(self) -> str:
        return str(ResultDelivery(self.result_delivery).label) if self.result_delivery else ""


def public_lookup(code: str) -> PublicStatus | None:
    row = (
        Dossier.objects.filter(code=code.strip().upper())
        .values(
            "code",
            "procedure_version__name",
            "status",
            "due_at",
            "result_delivery",
            "postal_tracking_number",
        )
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
        result_delivery=row["result_delivery"],
        postal_tracking_number=row["postal_tracking_number"],
    )


# What an applicant reads of an action's note: the messages addressed to them, not officers' internal notes.
APPLICANT_NOTES = {
    ActionType.SUBMIT,
    ActionType.SUPPLEMENT,
    ActionType.REQUEST_SUPPLEMENT,
    ActionType.REFUSE,
    ActionType.WITHDRAW,
    ActionType.STOP,
    ActionType.APOLOGIZE,
    ActionType.RETURN_RESULT,
    ActionType.REQUEST_PAYMENT,
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


def can_download(user: User, attachment: Attachment) -> bool:
    """Staff of the dossier's agencies: every file; the applicant: their papers, notices and the result."""
    if not visible_to(user).filter(pk=attachment.dossier_id).exists():
        return False
    return user.kind == AccountKind.STAFF or attachment.kind in APPLICANT_FILES
