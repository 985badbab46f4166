"""Keeping the aggregates: each dossier's facts, what they contribute, and the sums.

A dossier's ``DossierFacts`` row is computed from the dossier and its history (``compute``);
``contributions`` turns it into (day, measure) → amount; the daily and monthly tables hold the sum of
every dossier's contributions, keyed by (agency, day or month, procedure, field).

- ``refresh(ids)`` (the ``dossier_changed`` receiver, in the relay's transaction): lock the dossiers'
  facts rows, compute their new facts, add new − old contributions to the tables with one upsert
  each (``INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x``), save the new facts.
- ``rebuild()`` (``manage.py rebuild_reports``): empty the tables, compute every dossier's facts in
  batches of primary keys and write the sums once.

Both go through ``compute`` and ``contributions``: the same definitions, so rebuilt and incremental
figures agree (tests/test_rebuild.py).
"""

import dataclasses
import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Q

from motcua.dossiers.constants import (
    OPEN_STATUSES,
    ActionType,
    AttachmentKind,
    Channel,
    SignatureState,
    Status,
    StepKind,
)
from motcua.dossiers.models import Action, Attachment, Dossier, Step
from motcua.payments.constants import EntryKind
from motcua.payments.models import LedgerEntry
from motcua.reports import adapters
from motcua.reports.constants import MEASURES, RECEPTION_ANSWER_HOURS
from motcua.reports.models import DayFigures, DossierFacts, MonthFigures, OpenFigures

Key = tuple[int, datetime.date, int, int]  # agency, day, procedure, field
OpenKey = tuple[int, int, int, datetime.date, bool]  # agency, procedure, field, due day, clock runs
# The due day of an open dossier without a deadline (never overdue).
NO_DEADLINE = datetime.date(9999, 12, 31)


@dataclasses.dataclass(slots=True)
class Facts:
    """One dossier's facts: the columns of models.DossierFacts, without a model instance's cost (the
    rebuild makes millions)."""

    dossier_id: int
    agency_id: int
    procedure_id: int
    field_id: int
    status: int
    channel: str
    received_day: datetime.date | None = None
    published: bool = False
    synced_national: bool = False
    fee_bearing: bool = False
    paid_online: bool = False
    digitised: bool = False
    reused: bool = False
    finished_day: datetime.date | None = None
    on_time: bool | None = None
    processing_seconds: int = 0
    legal_seconds: int = 0
    had_supplement: bool = False
    consulted: bool = False
    closed_day: datetime.date | None = None
    returned_day: datetime.date | None = None
    result_electronic: bool = False
    result_signed: bool = False
    supplement_days: list[str] = dataclasses.field(default_factory=list)
    reception: list[Any] = dataclasses.field(default_factory=list)
    steps: list[list[Any]] = dataclasses.field(default_factory=list)
    rating: list[Any] = dataclasses.field(default_factory=list)
    is_open: bool = False
    due_at: datetime.datetime | None = None
    counts_overdue: bool = False


COLUMNS = [f.attname for f in DossierFacts._meta.concrete_fields]
assert set(COLUMNS) == set(Facts.__dataclass_fields__), "Facts and DossierFacts must have the same columns"
Sums = dict[Key, list[int]]
INDEX = {name: i for i, name in enumerate(MEASURES)}
RECEIVED = {
    Channel.ONLINE: "received_online",
    Channel.COUNTER: "received_counter",
    Channel.POST: "received_post",
}
CLOSED = {Status.REFUSED: "refused", Status.WITHDRAWN: "withdrawn", Status.STOPPED: "stopped"}
# A dossier is in progress from reception until its result is ready, while nothing closed it.
IN_PROGRESS = [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT]
RECEPTION_DECISIONS = [ActionType.RECEIVE, ActionType.REFUSE, ActionType.REQUEST_SUPPLEMENT]


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> datetime.date | None:
    if moment is None:
        return None
    return moment.astimezone(zone or _zone()).date()


def _day(moment: datetime.datetime, zone: datetime.tzinfo) -> str:
    return moment.astimezone(zone).date().isoformat()


# -- facts ------------------------------------------------------------------------------------------


def compute(scope: Q, related_scope: Q) -> dict[int, Facts]:
    """The facts of the dossiers in ``scope`` (a filter on Dossier), ``related_scope`` being the same
    filter on the ``dossier`` of related rows. Drafts have none."""
    zone = _zone()
    rows = list(
        Dossier.objects.filter(scope)
        .exclude(status=Status.DRAFT)
        .values_list(
            "pk",
            "status",
            "channel",
            "receiving_agency_id",
            "deciding_agency_id",
            "procedure_version__procedure_id",
            "procedure_version__field_id",
            "code",
            "submitted_at",
            "received_at",
            "finished_at",
            "returned_at",
            "closed_at",
            "due_at",
            "original_due_at",
            "fee_due",
        )
    )
    if not rows:
        return {}
    supplements: dict[int, list[str]] = defaultdict(list)
    first_decision: dict[int, datetime.datetime] = {}
    consulted: set[int] = set()
    actions = (
        Action.objects.filter(related_scope, type__in=[*RECEPTION_DECISIONS, ActionType.CONSULT])
        .order_by("dossier_id", "at", "id")
        .values_list("dossier_id", "type", "at", "status_before")
    )
    for dossier_id, kind, at, before in actions:
        if kind == ActionType.REQUEST_SUPPLEMENT:
            supplements[dossier_id].append(_day(at, zone))
        if kind == ActionType.CONSULT:
            consulted.add(dossier_id)
        elif before == Status.SUBMITTED and dossier_id not in first_decision:
            first_decision[dossier_id] = at
    steps: dict[int, list[list[Any]]] = defaultdict(list)
    for dossier_id, completed, due in (
        Step.objects.filter(
            related_scope, kind=StepKind.PROCESS, completed_at__isnull=False, due_at__isnull=False
        )
        .order_by("dossier_id", "order", "id")
        .values_list("dossier_id", "completed_at", "due_at")
    ):
        if completed is not None and due is not None:
            steps[dossier_id].append([_day(completed, zone), completed <= due])
    digitised: set[int] = set()
    electronic: set[int] = set()
    signed: set[int] = set()
    for dossier_id, kind, state in (
        Attachment.objects.filter(related_scope, superseded=False)
        .filter(kind__in=[AttachmentKind.APPLICANT, AttachmentKind.SCAN, AttachmentKind.RESULT])
        .values_list("dossier_id", "kind", "signature_state")
    ):
        if kind == AttachmentKind.RESULT:
            electronic.add(dossier_id)
            if state == SignatureState.SIGNED:
                signed.add(dossier_id)
        else:
            digitised.add(dossier_id)
    charged: set[int] = set()
    paid_online: set[int] = set()
    for dossier_id, kind, method in LedgerEntry.objects.filter(
        related_scope, kind__in=[EntryKind.CHARGE, EntryKind.PAYMENT]
    ).values_list("dossier_id", "kind", "method"):
        if kind == EntryKind.CHARGE:
            charged.add(dossier_id)
        elif method == "online":
            paid_online.add(dossier_id)
    ids = [row[0] for row in rows]
    ratings = adapters.ratings_of(ids)
    reused = adapters.reused_of(ids)
    synced = adapters.synced_of(ids)

    facts = {}
    for (
        pk,
        status,
        channel,
        receiving,
        deciding,
        procedure,
        field,
        code,
        submitted_at,
        received_at,
        finished_at,
        returned_at,
        closed_at,
        due_at,
        original_due_at,
        fee_due,
    ) in rows:
        received = received_at is not None
        deadline = original_due_at or due_at
        fee_bearing = received and (fee_due > 0 or pk in charged)
        finished_day, on_time, processing, legal = None, None, 0, 0
        if finished_at is not None and received_at is not None:
            finished_day = local_day(finished_at, zone)
            on_time = deadline is None or finished_at <= deadline
            processing = round((finished_at - received_at).total_seconds())
            legal = round((deadline - received_at).total_seconds()) if deadline is not None else 0
        reception: list[Any] = []
        decision = first_decision.get(pk)
        if decision is not None and submitted_at is not None and channel == Channel.ONLINE:
            in_time = (decision - submitted_at) <= datetime.timedelta(hours=RECEPTION_ANSWER_HOURS)
            reception = [_day(decision, zone), in_time]
        rating = ratings.get(pk)
        facts[pk] = Facts(
            dossier_id=pk,
            agency_id=deciding or receiving,
            procedure_id=procedure,
            field_id=field,
            status=status,
            channel=channel,
            received_day=local_day(received_at, zone),
            published=received and bool(code),
            synced_national=received and pk in synced,
            fee_bearing=fee_bearing,
            paid_online=fee_bearing and pk in paid_online,
            digitised=received and pk in digitised,
            reused=received and pk in reused,
            finished_day=finished_day,
            on_time=on_time,
            processing_seconds=processing,
            legal_seconds=legal,
            had_supplement=pk in supplements,
            consulted=pk in consulted,
            closed_day=local_day(closed_at, zone) if status in CLOSED else None,
            returned_day=local_day(returned_at, zone) if status == Status.RETURNED else None,
            result_electronic=pk in electronic,
            result_signed=pk in signed,
            supplement_days=supplements.get(pk, []),
            reception=reception,
            steps=steps.get(pk, []),
            rating=(
                [_day(rating.rated_at, zone), rating.satisfied, *rating.answers] if rating is not None else []
            ),
            is_open=received and status in IN_PROGRESS and finished_at is None,
            due_at=due_at,
            counts_overdue=status in OPEN_STATUSES,
        )
    return facts


def contributions(f: Facts) -> Iterable[tuple[datetime.date, str, int]]:
    """What a dossier's facts add to the aggregates: (day, measure, amount)."""
    if f.received_day is not None:
        day = f.received_day
        yield day, RECEIVED[Channel(f.channel)], 1
        for name in ("published", "synced_national", "fee_bearing", "paid_online", "digitised", "reused"):
            if getattr(f, name):
                yield day, name, 1
    if f.finished_day is not None:
        day = f.finished_day
        yield day, "done_on_time" if f.on_time else "done_late", 1
        yield day, "processing_seconds", f.processing_seconds
        yield day, "legal_seconds", f.legal_seconds
        if not f.had_supplement:
            yield day, "done_without_supplement", 1
        if not f.consulted:
            yield day, "done_single_agency", 1
    if f.closed_day is not None:
        yield f.closed_day, CLOSED[Status(f.status)], 1
    for text in f.supplement_days:
        yield datetime.date.fromisoformat(text), "supplement_requests", 1
    if f.reception:
        day = datetime.date.fromisoformat(f.reception[0])
        yield day, "reception_decided", 1
        yield day, "reception_in_time", int(bool(f.reception[1]))
    for text, on_time in f.steps:
        day = datetime.date.fromisoformat(text)
        yield day, "steps_done", 1
        yield day, "steps_on_time", int(bool(on_time))
    if f.returned_day is not None:
        day = f.returned_day
        yield day, "returned", 1
        if f.result_electronic:
            yield day, "results_electronic", 1
            if f.result_signed:
                yield day, "results_signed", 1
    if f.rating:
        day = datetime.date.fromisoformat(f.rating[0])
        yield day, "ratings", 1
        yield day, "satisfied", int(bool(f.rating[1]))
        for i, answer in enumerate(f.rating[2:6], start=1):
            yield day, f"answers_{i}", int(answer)


def add(sums: Sums, f: Facts, sign: int = 1) -> None:
    for day, measure, amount in contributions(f):
        if amount:
            key = (f.agency_id, day, f.procedure_id, f.field_id)
            row = sums.get(key)
            if row is None:
                row = sums[key] = [0] * len(MEASURES)
            row[INDEX[measure]] += sign * amount


def open_key(f: Facts, zone: datetime.tzinfo | None = None) -> OpenKey | None:
    """Where an open dossier counts in models.OpenFigures; None when it is not open."""
    if not f.is_open:
        return None
    due = local_day(f.due_at, zone) or NO_DEADLINE
    return (f.agency_id, f.procedure_id, f.field_id, due, bool(f.counts_overdue))


def by_month(sums: Sums) -> Sums:
    months: Sums = {}
    for (agency, day, procedure, field), values in sums.items():
        key = (agency, day.replace(day=1), procedure, field)
        row = months.get(key)
        if row is None:
            months[key] = list(values)
        else:
            for i, v in enumerate(values):
                row[i] += v
    return months


# -- writing the sums ------------------------------------------------------------------------------


def _upsert(model: type[DayFigures] | type[MonthFigures], sums: Sums, *, batch: int = 500) -> None:
    """Add ``sums`` to the table, row by key, in key order (two relays lock rows in the same order)."""
    table = model._meta.db_table
    date_column = "day" if model is DayFigures else "month"
    columns = ["agency_id", date_column, "procedure_id", "field_id", *MEASURES]
    key = "agency_id, " + date_column + ", procedure_id, field_id"
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    items = sorted((k, v) for k, v in sums.items() if any(v))
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 (names are ours)
                + ", ".join([placeholders] * len(chunk))
                + f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
            )
            params: list[Any] = []
            for (agency, day, procedure, field), values in chunk:
                params += [agency, day, procedure, field, *values]
            cursor.execute(sql, params)


def apply(sums: Sums) -> None:
    _upsert(DayFigures, sums)
    _upsert(MonthFigures, by_month(sums))


def apply_open(opens: dict[OpenKey, int]) -> None:
    """Add the changes of the open dossiers' counts, row by key in key order."""
    table = OpenFigures._meta.db_table
    items = sorted((k, v) for k, v in opens.items() if v)
    if not items:
        return
    columns = "agency_id, procedure_id, field_id, due_day, counts_overdue"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, n) VALUES "  # noqa: S608 (names are ours)
            + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(items))
            + f" ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
            [value for key, n in items for value in (*key, n)],
        )


def save_facts(rows: Iterable[Facts], *, batch: int = 500) -> None:
    """Insert or overwrite facts rows, a batch per statement (``INSERT … ON CONFLICT DO UPDATE``):
    Django's bulk_update spent 20 ms composing its CASE expressions for one row."""
    fields = DossierFacts._meta.concrete_fields
    names = [str(f.column) for f in fields]
    table = DossierFacts._meta.db_table
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "dossier_id")
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    pending = list(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(pending), batch):
            chunk = pending[start : start + batch]
            params: list[Any] = []
            for row in chunk:
                params += [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES "  # noqa: S608 (names are ours)
                + ", ".join([placeholders] * len(chunk))
                + f" ON CONFLICT (dossier_id) DO UPDATE SET {updates}",
                params,
            )


# -- incremental -----------------------------------------------------------------------------------


def refresh(dossier_ids: Iterable[int]) -> None:
    """Bring the facts and aggregates of these dossiers up to date with the dossiers as they are now."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return
    with transaction.atomic():
        # A placeholder row for a dossier not seen before (it contributes nothing), so that two relays
        # handling the same new dossier wait for each other on its row lock.
        DossierFacts.objects.bulk_create(
            [
                DossierFacts(
                    dossier_id=pk, agency_id=0, procedure_id=0, field_id=0, status=0, channel=Channel.ONLINE
                )
                for pk in ids
            ],
            ignore_conflicts=True,
        )
        locked = DossierFacts.objects.select_for_update().filter(pk__in=ids).order_by("pk").values(*COLUMNS)
        old = {row["dossier_id"]: Facts(**row) for row in locked}
        new = compute(Q(pk__in=ids), Q(dossier_id__in=ids))
        sums: Sums = {}
        opens: dict[OpenKey, int] = defaultdict(int)
        zone = _zone()
        for pk in ids:
            if pk in old:
                add(sums, old[pk], -1)
                if (key := open_key(old[pk], zone)) is not None:
                    opens[key] -= 1
            if pk in new:
                add(sums, new[pk], 1)
                if (key := open_key(new[pk], zone)) is not None:
                    opens[key] += 1
        apply(sums)
        apply_open(opens)
        gone = [pk for pk in ids if pk not in new]
        if gone:
            DossierFacts.objects.filter(pk__in=gone).delete()
        save_facts(new.values())


# -- from scratch ----------------------------------------------------------------------------------


def _empty_tables() -> None:
    tables = [m._meta.db_table for m in (DossierFacts, DayFigures, MonthFigures, OpenFigures)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def rebuild(*, batch: int = 5000, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Empty the reports' tables and fill them again from every dossier, in one transaction."""
    counts = {"dossiers": 0, "days": 0, "months": 0}
    with transaction.atomic():
        _empty_tables()
        bounds = Dossier.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
        sums: Sums = {}
        opens: dict[OpenKey, int] = defaultdict(int)
        zone = _zone()
        if bounds["lo"] is not None:
            lo, hi = bounds["lo"], bounds["hi"]
            step = max(1, batch)
            total_ranges = (hi - lo) // step + 1
            for done_ranges, start in enumerate(range(lo, hi + 1, step), start=1):
                end = start + step
                facts = compute(Q(pk__gte=start, pk__lt=end), Q(dossier_id__gte=start, dossier_id__lt=end))
                for f in facts.values():
                    add(sums, f)
                    if (key := open_key(f, zone)) is not None:
                        opens[key] += 1
                save_facts(facts.values())
                counts["dossiers"] += len(facts)
                if progress and done_ranges % max(1, total_ranges // 10) == 0:
                    progress(f"{counts['dossiers']} dossiers")
        _insert(DayFigures, sums)
        months = by_month(sums)
        _insert(MonthFigures, months)
        insert_open(opens)
        counts["days"], counts["months"] = len(sums), len(months)
    return counts


def insert_open(opens: dict[OpenKey, int]) -> None:
    rows = [
        OpenFigures(agency_id=a, procedure_id=p, field_id=f, due_day=due, counts_overdue=clock, n=n)
        for (a, p, f, due, clock), n in opens.items()
        if n
    ]
    OpenFigures.objects.bulk_create(rows, batch_size=5000)


def _insert(model: type[DayFigures] | type[MonthFigures], sums: Sums) -> None:
    date_field = "day" if model is DayFigures else "month"
    rows: list[Any] = []
    for (agency, day, procedure, field), values in sums.items():
        if not any(values):
            continue
        row = model(agency_id=agency, procedure_id=procedure, field_id=field, **{date_field: day})
        for name, value in zip(MEASURES, values, strict=True):
            setattr(row, name, value)
        rows.append(row)
        if len(rows) >= 5000:
            model.objects.bulk_create(rows)
            rows = []
    model.objects.bulk_create(rows)
