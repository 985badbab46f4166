"""Fill a PostgreSQL database with a province's worth of dossiers, for the dossier benchmarks.

Runs ``migrate``, ``import_units`` and ``load_demo`` (the demo province: 16 agencies, 47 procedures),
adds benchmark accounts (officers in every agency, citizens), then bulk-loads N dossiers received by
the demo agencies over the last ~24 months, with their history (actions), the steps of the open
ones, the pauses of those waiting for a supplement and the daily code sequences:

- statuses: most returned, a few percent open (every inbox status), ~8 % of the open ones in
  processing overdue, refused / withdrawn / stopped ones, a few drafts: every status is present;
- codes ``{agency}-{YYMMDD}-{NNNN}`` numbered per receiving agency and local day in submission order
  (every dossier but drafts has one: the code is given at submission),
  and ``DailySequence`` rows holding each day's last number, so that a reception now continues after
  the highest number;
- due dates from the application's working calendar (motcua.calendar.workdays.WorkCalendar: weekends,
  Vietnamese holidays, the 15:00 cut-off), computed for the hour in which the dossier was received.

Loading: one transaction that truncates the dossier tables, drops their secondary indexes and
foreign keys, COPYs the rows in batches (``COPY ... WITH (FREEZE)``: rows are written frozen and
all-visible, so no VACUUM is needed afterwards), recreates the indexes and the foreign keys (which
validates them), sets the id sequences, then ANALYZE. Python builds the next batch in a thread while
PostgreSQL ingests the current one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench1m .venv/bin/python bench/dossiers_fill.py

(the database is created if it does not exist: bench/common.py).

A database that already holds dossiers is left alone unless ``--reset`` is given (which deletes
them). A benchmark tool, not a test: it exits 0 (2 on a wrong database).
"""

import argparse
import bisect
import datetime
import itertools
import json
import queue
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from common import CITIZEN_PREFIX, load_average, prepare_database, setup_django

DAY = 86400
VN = 7 * 3600  # Asia/Ho_Chi_Minh is UTC+7 all year
BENCH_PREFIX = "bench."
# Status codes (motcua.dossiers.constants.Status).
DRAFT, SUBMITTED, RECEIVED, REFUSED, PROCESSING, SUPPLEMENT, PAYMENT, WITHDRAWN, STOPPED, READY, RETURNED = (
    range(11)
)
# Share of each status, per thousand dossiers. Open (inbox) statuses: 1, 2, 4, 5, 6, 9 = 4.6 %.
STATUS_MIX = {
    DRAFT: 5,
    SUBMITTED: 4,
    RECEIVED: 4,
    REFUSED: 15,
    PROCESSING: 25,
    SUPPLEMENT: 5,
    PAYMENT: 3,
    WITHDRAWN: 12,
    STOPPED: 4,
    READY: 5,
    RETURNED: 918,
}
# How popular a procedure is (weight 1 for the others): certification and civil status dominate.
POPULAR = {
    "2.000815": 40,  # certified copies
    "2.000884": 20,  # certified signatures
    "1.001193": 14,  # birth registration
    "1.004194": 8,  # temporary residence
    "1.004222": 8,  # permanent residence
    "1.004873": 8,  # marital status certificate
    "2.000635": 6,  # civil status extracts
    "1.000656": 4,
    "1.000894": 4,
    "3.000333": 6,  # criminal record
    "1.013978": 5,  # land registration
    "1.013833": 4,
    "1.001612": 4,
    "2.001583": 3,
    "2.001610": 3,
    "3.000348": 4,
}
# The busiest commune receives half of the communes' dossiers.
COMMUNE_WEIGHTS = {"000.01.01.H59": 0.5, "000.02.01.H59": 0.3, "000.03.01.H59": 0.2}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Hoài", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Lan", "Linh", "Long"]
GIVEN += ["Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="how many dossiers to load")
    parser.add_argument("--months", type=int, default=24, help="spread the dossiers over this many months")
    parser.add_argument("--citizens", type=int, default=50_000, help="benchmark citizen accounts")
    parser.add_argument("--batch", type=int, default=50_000, help="dossiers per COPY batch")
    parser.add_argument(
        "--overdue", type=float, default=0.12, help="share of received/processing/payment dossiers overdue"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="delete the dossiers already there first")
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="generate dossiers/copies dossiers in Python, then copy them copies - 1 times in SQL "
        "(new ids, codes and public ids; the same dates and contents): for millions of dossiers on a "
        "busy machine, where generating each in Python takes hours",
    )
    return parser.parse_args()


# --- reference data ----------------------------------------------------------------------------


@dataclass
class VersionInfo:
    id: int
    code: str
    weight: float
    receiving: list[int]  # agency ids
    receiving_weights: list[float]
    steps: list[tuple[int, str, int | None, str, str]]  # (order, name, agency id or None, role, share)
    amount: Decimal
    unit: str
    fee: int
    form: list[tuple[str, str, list[str]]]  # (key, kind, choices)
    span: float = 0.0  # rough elapsed seconds of the legal time, to place open dossiers

    def deciding(self, receiving: int) -> int:
        for _order, _name, agency, _role, _share in reversed(self.steps):
            if agency is not None:
                return agency
        return receiving


@dataclass
class Reference:
    versions: list[VersionInfo]
    agency_code: dict[int, str]
    officers: dict[tuple[int, str], list[int]]  # (agency id, role) -> user ids
    citizens: list[tuple[int, str, str, str, str]]  # (id, name, identity, phone, email)
    unit_codes: list[str]
    unit_labels: dict[str, str] = field(default_factory=dict)


def ensure_accounts(citizens: int) -> dict[str, int]:
    """Officers (reception in the one-stop units, 3 specialists and a leader in every agency) and
    citizens, all with the demo password (one hash computed once and shared: benchmark accounts)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from motcua.accounts.constants import AccountKind, Role
    from motcua.accounts.models import Membership, User
    from motcua.agencies.models import Agency
    from motcua.demo.seed import DEMO_PASSWORD

    password = make_password(DEMO_PASSWORD)
    existing = set(User.objects.filter(username__startswith=BENCH_PREFIX).values_list("username", flat=True))
    officers: list[tuple[User, Agency, str]] = []
    for agency in Agency.objects.order_by("pk"):
        roles = [(Role.SPECIALIST, 3), (Role.LEADER, 1)]
        if agency.receives_dossiers:
            roles.insert(0, (Role.RECEPTION, 2))
        for role, count in roles:
            for i in range(1, count + 1):
                username = f"{BENCH_PREFIX}{agency.code.lower()}.{role}{i}"
                if username in existing:
                    continue
                user = User(
                    username=username,
                    password=password,
                    kind=AccountKind.STAFF,
                    full_name=f"{random.choice(SURNAMES)} {random.choice(MIDDLE)} {random.choice(GIVEN)}",
                )
                officers.append((user, agency, role))
    new_citizens = []
    rng = random.Random(7)
    for i in range(1, citizens + 1):
        username = f"{CITIZEN_PREFIX}{i:06d}"
        if username in existing:
            continue
        new_citizens.append(
            User(
                username=username,
                password=password,
                kind=AccountKind.CITIZEN,
                full_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                identity_number=f"099{i:09d}",
                phone=f"09{i:08d}",
                email=f"{username}@bench.motcua.vn",
            )
        )
    with transaction.atomic():
        User.objects.bulk_create([u for u, _a, _r in officers], batch_size=2000)
        Membership.objects.bulk_create(
            [Membership(user=u, agency=a, role=r) for u, a, r in officers], batch_size=2000
        )
        User.objects.bulk_create(new_citizens, batch_size=5000)
    return {"officers": len(officers), "citizens": len(new_citizens)}


def load_reference() -> Reference:
    from motcua.accounts.constants import AccountKind
    from motcua.accounts.models import Membership, User
    from motcua.agencies.models import AdministrativeUnit, Agency
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers.services import receiving_agencies

    agency_code = dict(Agency.objects.values_list("pk", "code"))
    versions = []
    current = ProcedureVersion.objects.current().select_related("procedure").order_by("procedure__code")
    for version in current.prefetch_related("steps", "fees", "form_fields"):
        receiving = [a.pk for a in receiving_agencies(version)]
        weights = [COMMUNE_WEIGHTS.get(agency_code[a], 1.0) for a in receiving]
        versions.append(
            VersionInfo(
                id=version.pk,
                code=version.procedure.code,
                weight=POPULAR.get(version.procedure.code, 1),
                receiving=receiving,
                receiving_weights=weights,
                steps=[(s.order, s.name, s.agency_id, s.role, str(s.share)) for s in version.steps.all()],
                amount=version.processing_time,
                unit=version.time_unit,
                fee=version.base_fee,
                form=[(f.key, f.kind, list(f.choices or [])) for f in version.form_fields.all()],
            )
        )
    officers: dict[tuple[int, str], list[int]] = defaultdict(list)
    memberships = Membership.objects.filter(user__kind=AccountKind.STAFF).exclude(
        role__in=["agency_admin", "province_admin"]
    )
    for user_id, agency_id, role in memberships.order_by("user_id").values_list(
        "user_id", "agency_id", "role"
    ):
        officers[(agency_id, role)].append(user_id)
    citizens = list(
        User.objects.filter(kind=AccountKind.CITIZEN)
        .order_by("pk")
        .values_list("pk", "full_name", "identity_number", "phone", "email")
    )
    province = AdministrativeUnit.objects.current().filter(code="08").first()
    units = AdministrativeUnit.objects.current().filter(parent=province).order_by("code")
    unit_labels = {u.code: f"{u.name}, {province.name if province else ''}" for u in units[:60]}
    return Reference(
        versions=versions,
        agency_code=agency_code,
        officers=dict(officers),
        citizens=[(pk, n, i or "", p, e) for pk, n, i, p, e in citizens],
        unit_codes=list(unit_labels),
        unit_labels=unit_labels,
    )


# --- time ----------------------------------------------------------------------------------------


class Clock:
    """Working days and deadlines from the application's calendar, with epoch seconds."""

    def __init__(self, first_day: datetime.date, last_day: datetime.date):
        from motcua.calendar import conf
        from motcua.calendar.workdays import WorkCalendar

        self.calendar = WorkCalendar(
            [], working_hours=conf.working_hours(), reception_cutoff=conf.reception_cutoff()
        )
        self.periods = [
            (t.hour * 3600 + t.minute * 60, u.hour * 3600 + u.minute * 60) for t, u in conf.working_hours()
        ]
        self.first = first_day
        self.days = [first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
        self.working = [self.calendar.is_working_day(d) for d in self.days]
        self.epoch0 = (
            datetime.datetime.combine(first_day, datetime.time(), tzinfo=datetime.UTC).timestamp() - VN
        )  # local midnight of the first day
        self._due: dict[tuple[int, Decimal, str], tuple[float, float]] = {}

    def day_start(self, index: int) -> float:
        return self.epoch0 + index * DAY

    def day_index(self, ts: float) -> int:
        return int((ts - self.epoch0) // DAY)

    def local_date(self, ts: float) -> datetime.date:
        return self.first + datetime.timedelta(days=self.day_index(ts))

    def snap_working(self, ts: float, rng: random.Random) -> float:
        """A moment in working time at or shortly before ``ts``."""
        index = self.day_index(ts)
        index = min(max(index, 0), len(self.days) - 1)
        second = ts - self.day_start(index)
        while index > 0 and not self.working[index]:
            index -= 1
            second = DAY
        for start, end in self.periods:
            if start <= second < end:
                return self.day_start(index) + second
        earlier = [(s, e) for s, e in self.periods if e <= second]
        if earlier:
            start, end = earlier[-1]
            return self.day_start(index) + end - rng.uniform(0, min(3600, end - start))
        # Before the first period: the end of the previous working day.
        index -= 1
        while index > 0 and not self.working[index]:
            index -= 1
        start, end = self.periods[-1]
        return self.day_start(max(index, 0)) + end - rng.uniform(0, 3600)

    def due(self, received: float, amount: Decimal, unit: str) -> tuple[float, float]:
        """(counted_from, due_at) for a dossier received in the same hour as ``received``."""
        hour = int(received // 3600)
        key = (hour, amount, unit)
        found = self._due.get(key)
        if found is None:
            moment = datetime.datetime.fromtimestamp(hour * 3600, datetime.UTC)
            due = self.calendar.compute_due(moment, amount, unit)
            found = (due.counted_from.timestamp(), due.due_at.timestamp())
            self._due[key] = found
        return found


def ts_text(ts: float | None) -> str:
    if ts is None:
        return "\\N"
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(ts))


def copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def nullable(value: object) -> str:
    return "\\N" if value is None else str(value)


# --- the plan: when and where each dossier happened ------------------------------------------------


@dataclass(slots=True)
class Plan:
    status: int
    version: int  # index into Reference.versions
    agency: int  # receiving agency id
    channel: str
    created: float
    submitted: float | None
    received: float | None
    overdue: bool = False
    number: int = 0  # code sequence number


def build_plans(args: argparse.Namespace, ref: Reference, clock: Clock, now: float) -> list[Plan]:
    rng = random.Random(args.seed)
    n_days = len(clock.days)
    # Volume grows over the period; online dossiers arrive on days off too, counters only on working days.
    first = clock.day_index(now) - round(args.months * 30.44)
    day_weights = [
        0.0
        if i < first
        else (0.8 + 0.5 * (i - first) / (n_days - first)) * (1.0 if clock.working[i] else 0.06)
        for i in range(n_days - 1)
    ]
    cum_days = list(itertools.accumulate(day_weights))
    version_cum = list(itertools.accumulate(v.weight for v in ref.versions))
    statuses = list(STATUS_MIX)
    status_cum = list(itertools.accumulate(STATUS_MIX[s] for s in statuses))
    for v in ref.versions:
        if v.unit == "calendar_days":
            v.span = float(v.amount) * DAY
        elif v.unit == "working_hours":
            v.span = float(v.amount) / 8 * 1.4 * DAY
        else:
            v.span = float(v.amount) * 1.4 * DAY

    def old_day(min_age: float) -> float:
        """A moment on a day drawn from the period, at least ``min_age`` seconds ago."""
        for _ in range(20):
            index = bisect.bisect_left(cum_days, rng.random() * cum_days[-1])
            moment = clock.day_start(index) + rng.uniform(6.5 * 3600, 22 * 3600)
            if moment < now - min_age:
                return moment
        return now - min_age - rng.uniform(0, 30 * DAY)

    plans = []
    for _ in range(args.dossiers):
        status = statuses[bisect.bisect_left(status_cum, rng.random() * status_cum[-1])]
        vi = bisect.bisect_left(version_cum, rng.random() * version_cum[-1])
        v = ref.versions[vi]
        agency = rng.choices(v.receiving, v.receiving_weights)[0] if len(v.receiving) > 1 else v.receiving[0]
        roll = rng.random()
        channel = "online" if roll < 0.55 else "counter" if roll < 0.98 else "post"
        overdue = False
        received: float | None
        submitted: float | None
        if status == DRAFT:
            channel = "online"
            created = now - rng.uniform(0, 60 * DAY) if rng.random() < 0.7 else old_day(60 * DAY)
            plans.append(Plan(status, vi, agency, channel, created, None, None))
            continue
        if status in (SUBMITTED, REFUSED) or (status in (SUPPLEMENT, WITHDRAWN) and rng.random() < 0.4):
            # Never received: online, waiting at reception, or refused / withdrawn / waiting before it.
            channel = "online"
            if status in (SUBMITTED, SUPPLEMENT):
                submitted = now - rng.uniform(60, (2 if status == SUBMITTED else 12) * DAY)
            else:
                submitted = old_day(3 * DAY)
            plans.append(
                Plan(status, vi, agency, channel, submitted - rng.uniform(120, 4 * 3600), submitted, None)
            )
            continue
        if status in (RECEIVED, PROCESSING, PAYMENT, SUPPLEMENT, READY):
            overdue = status in (RECEIVED, PROCESSING, PAYMENT) and rng.random() < args.overdue
            if overdue:
                target = now - v.span - min(rng.expovariate(1 / (7 * DAY)), 120 * DAY) - 3600
            elif status == RECEIVED:
                target = now - rng.uniform(0, min(v.span * 0.5, 2 * DAY))
            else:
                target = now - rng.uniform(0.05, 0.8) * v.span
        else:  # returned, stopped, withdrawn after reception: long finished
            target = old_day(v.span * 1.7 + 3 * DAY)
        received = clock.snap_working(target, rng)
        if channel == "online":
            submitted = received - rng.uniform(300, 16 * 3600)
            created = submitted - rng.uniform(120, 4 * 3600)
        else:
            submitted = created = received - rng.uniform(0, 120)
        plans.append(Plan(status, vi, agency, channel, created, submitted, received, overdue))
    plans.sort(key=lambda p: p.created)
    # Codes: numbered per receiving agency and local day in submission order (given at submission).
    submitted_plans = sorted(
        (p for p in plans if p.submitted is not None), key=lambda p: (p.agency, p.submitted)
    )
    for _key, group in itertools.groupby(
        submitted_plans, key=lambda p: (p.agency, clock.day_index(p.submitted))
    ):
        for number, plan in enumerate(group, start=1):
            plan.number = number
    return plans


# --- rows -------------------------------------------------------------------------------------------


class Builder:
    """Turns plans into COPY text for dossiers, steps, actions and pauses (ids assigned here)."""

    def __init__(self, ref: Reference, clock: Clock, now: float, seed: int):
        self.ref = ref
        self.clock = clock
        self.now = now
        self.rng = random.Random(seed + 1)
        self.step_id = 0
        self.action_id = 0
        self.pause_id = 0
        self.counts: Counter[str] = Counter()
        self.sequences: dict[tuple[int, datetime.date], int] = {}
        self.form_cache: dict[int, dict] = {}

    # helpers

    def officer(self, agency: int, role: str) -> int | None:
        found = self.ref.officers.get((agency, role)) or self.ref.officers.get((agency, "specialist"))
        return self.rng.choice(found) if found else None

    def name(self) -> str:
        rng = self.rng
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def form(self, v: VersionInfo, name: str, identity: str) -> str:
        rng = self.rng
        data: dict[str, object] = {}
        for key, kind, choices in v.form:
            if kind == "file":
                continue
            if kind == "identity_number":
                data[key] = identity or f"0{rng.randrange(10**10, 10**11)}"
            elif kind == "address":
                unit = rng.choice(self.ref.unit_codes)
                detail = f"Số {rng.randint(1, 200)}, tổ {rng.randint(1, 30)}"
                data[key] = {
                    "unit": unit,
                    "detail": detail,
                    "label": f"{detail}, {self.ref.unit_labels[unit]}",
                }
            elif kind == "number":
                data[key] = str(rng.randint(1, 6))
            elif kind == "date":
                data[key] = f"{rng.randint(1950, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            elif kind == "choice":
                data[key] = rng.choice(choices) if choices else ""
            elif kind == "email":
                data[key] = f"nguoidan{rng.randint(1, 99999)}@example.vn"
            elif kind == "phone":
                data[key] = f"09{rng.randint(10**7, 10**8 - 1)}"
            elif "name" in key:
                data[key] = name
            elif kind == "textarea":
                data[key] = "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết."
            else:
                data[key] = "Theo hồ sơ kèm theo"
        return copy_text(json.dumps(data, ensure_ascii=False))

    # one dossier

    def dossier(self, pk: int, plan: Plan, out: dict[str, list[str]]) -> None:
        rng = self.rng
        ref = self.ref
        v = ref.versions[plan.version]
        status = plan.status
        receiving = plan.agency
        applicant_id: int | None = None
        if plan.channel == "online" and ref.citizens:
            # Citizens apply a few times each, some much more often.
            citizen = ref.citizens[min(int(rng.paretovariate(1.2)) - 1, len(ref.citizens) - 1)]
            citizen = citizen if rng.random() < 0.02 else rng.choice(ref.citizens)
            applicant_id, name, identity, phone, email = citizen
        else:
            name = self.name()
            identity = f"0{rng.randrange(10**10, 10**11)}"
            phone = f"09{rng.randint(10**7, 10**8 - 1)}"
            email = ""
        unit = rng.choice(ref.unit_codes)
        address = f"Số {rng.randint(1, 200)}, tổ {rng.randint(1, 30)}, {ref.unit_labels[unit]}"
        received = plan.received
        counted_from = due = original_due = finished = returned = closed = paused = None
        code = None
        if plan.submitted is not None:
            day = self.clock.local_date(plan.submitted)
            code = f"{ref.agency_code[receiving]}-{day:%y%m%d}-{plan.number:04d}"
            key = (receiving, day)
            if plan.number > self.sequences.get(key, 0):
                self.sequences[key] = plan.number
        deciding = holder_user = current_step = None
        holder = receiving
        apologized = False
        actions: list[tuple] = []  # (at, type, before, after, actor, agency, step, note, data)
        reception = self.officer(receiving, "reception")
        submitter = applicant_id if plan.channel == "online" else reception
        if plan.submitted is not None:
            note = "" if plan.channel == "online" else "Nộp trực tiếp tại bộ phận một cửa"
            data = "{}" if plan.channel == "online" else f'{{"channel": "{plan.channel}", "files": []}}'
            actions.append(
                (plan.submitted, "submit", DRAFT, SUBMITTED, submitter, receiving, None, note, data)
            )
        if received is not None:
            counted_from, due = self.clock.due(received, v.amount, v.unit)
            original_due = due
            deciding = v.deciding(receiving)
            receive_data = f'{{"code": "{code}", "due_at": "{ts_text(due).replace(" ", "T")}"}}'
        steps = v.steps
        step_agency = [a if a is not None else receiving for _o, _n, a, _r, _s in steps]
        middle = step_agency[1] if len(steps) > 1 else receiving
        leader_at = next((i for i, s in enumerate(steps) if s[3] == "leader"), len(steps) - 1)
        now = self.now
        step_rows: list[str] = []

        if status == DRAFT:
            pass
        elif received is None:  # submitted, refused, withdrawn or waiting for a supplement before reception
            assert plan.submitted is not None
            t = plan.submitted
            if status == SUPPLEMENT or (status in (REFUSED, WITHDRAWN) and rng.random() < 0.3):
                t += rng.uniform(1800, 2 * DAY)
                items = '{"items": ["Bản sao giấy tờ tùy thân"], "files": [], "notice": "02"}'
                actions.append(
                    (t, "request_supplement", SUBMITTED, SUPPLEMENT, reception, receiving, None, "", items)
                )
                if status != SUPPLEMENT:
                    t += rng.uniform(3600, 3 * DAY)
                    actions.append(
                        (t, "supplement", SUPPLEMENT, SUBMITTED, applicant_id, receiving, None, "", "{}")
                    )
            if status == REFUSED:
                t += rng.uniform(1800, 2 * DAY)
                note = "Hồ sơ không thuộc thẩm quyền giải quyết"
                actions.append(
                    (t, "refuse", SUBMITTED, REFUSED, reception, receiving, None, note, '{"notice": "03"}')
                )
                closed = t
            elif status == WITHDRAWN:
                t += rng.uniform(600, 2 * DAY)
                actions.append(
                    (
                        t,
                        "withdraw",
                        SUBMITTED,
                        WITHDRAWN,
                        applicant_id,
                        receiving,
                        None,
                        "Nộp nhầm thủ tục",
                        "{}",
                    )
                )
                closed = t
        elif status in (RETURNED, STOPPED, WITHDRAWN):
            assert due is not None
            span = due - received
            late = rng.random() < 0.1
            fraction = rng.uniform(1.0, 1.6) if late else rng.uniform(0.15, 0.97)
            finish = min(received + span * fraction, now - 3 * 3600)
            actions.append(
                (received, "receive", SUBMITTED, RECEIVED, reception, middle, None, "", receive_data)
            )
            t_forward = received + (finish - received) * 0.2
            actions.append(
                (
                    t_forward,
                    "forward",
                    RECEIVED,
                    PROCESSING,
                    self.officer(middle, "specialist"),
                    step_agency[min(leader_at, len(steps) - 1)],
                    None,
                    "",
                    '{"to_step": 3}',
                )
            )
            if status == WITHDRAWN:
                closed = t_forward + (finish - t_forward) * rng.random()
                actions.append(
                    (
                        closed,
                        "withdraw",
                        PROCESSING,
                        WITHDRAWN,
                        applicant_id,
                        middle,
                        None,
                        "Không còn nhu cầu",
                        "{}",
                    )
                )
                holder = middle
            elif status == STOPPED:
                closed = t_forward + (finish - t_forward) * rng.random()
                note = "Người nộp không bổ sung hồ sơ theo yêu cầu"
                actions.append(
                    (
                        closed,
                        "stop",
                        PROCESSING,
                        STOPPED,
                        self.officer(middle, "leader"),
                        middle,
                        None,
                        note,
                        '{"notice": "05", "files": []}',
                    )
                )
                holder = middle
            else:
                t = t_forward
                if rng.random() < 0.08:  # a supplement round, clock stopped
                    t1 = t + (finish - t) * 0.2
                    t2 = t1 + (finish - t1) * 0.3
                    items = '{"items": ["Bản sao có chứng thực"], "files": [], "notice": "02"}'
                    actions.append(
                        (
                            t1,
                            "request_supplement",
                            PROCESSING,
                            SUPPLEMENT,
                            self.officer(middle, "specialist"),
                            middle,
                            None,
                            "",
                            items,
                        )
                    )
                    actions.append(
                        (
                            t2,
                            "supplement",
                            SUPPLEMENT,
                            PROCESSING,
                            applicant_id,
                            middle,
                            None,
                            "",
                            '{"clock": "resumed"}',
                        )
                    )
                    t = t2
                if v.fee and rng.random() < 0.3:
                    t1 = t + (finish - t) * 0.2
                    t2 = t1 + (finish - t1) * 0.2
                    amount = f'{{"amount": {v.fee}}}'
                    actions.append(
                        (
                            t1,
                            "request_payment",
                            PROCESSING,
                            PAYMENT,
                            self.officer(middle, "specialist"),
                            middle,
                            None,
                            "",
                            amount,
                        )
                    )
                    actions.append(
                        (
                            t2,
                            "record_payment",
                            PAYMENT,
                            PROCESSING,
                            reception,
                            middle,
                            None,
                            "",
                            f'{{"amount": {v.fee}, "method": "cash", "reference": ""}}',
                        )
                    )
                    t = t2
                t_approve = t + (finish - t) * 0.7
                leader_agency = step_agency[leader_at]
                actions.append(
                    (
                        t_approve,
                        "approve",
                        PROCESSING,
                        PROCESSING,
                        self.officer(leader_agency, "leader"),
                        step_agency[-1],
                        None,
                        "",
                        f'{{"approved": true, "to_step": {leader_at + 2}}}',
                    )
                )
                t_result = t_approve + (finish - t_approve) * 0.5
                actions.append(
                    (
                        t_result,
                        "attach_result",
                        PROCESSING,
                        PROCESSING,
                        reception,
                        step_agency[-1],
                        None,
                        "",
                        "{}",
                    )
                )
                if late and rng.random() < 0.5:
                    apologized = True
                    t_apology = max(due, t_result - 1)
                    if t_apology < finish:
                        due = due + rng.uniform(1, 5) * DAY
                        actions.append(
                            (
                                t_apology,
                                "apologize",
                                PROCESSING,
                                PROCESSING,
                                self.officer(middle, "leader"),
                                step_agency[-1],
                                None,
                                "Hồ sơ cần xác minh thêm",
                                '{"notice": "04"}',
                            )
                        )
                    else:
                        apologized = False
                finished = finish
                actions.append(
                    (
                        finished,
                        "mark_ready",
                        PROCESSING,
                        READY,
                        reception,
                        receiving,
                        None,
                        "",
                        '{"on_time": %s}' % ("true" if finished <= due else "false"),
                    )
                )
                returned = closed = min(finished + rng.uniform(600, 3 * DAY), now - 600)
                actions.append(
                    (returned, "return_result", READY, RETURNED, reception, receiving, None, "", "{}")
                )
        else:  # open and received: RECEIVED, PROCESSING, PAYMENT, SUPPLEMENT (after reception), READY
            assert due is not None and counted_from is not None
            n = len(steps)
            if status == RECEIVED:
                current = 1
            elif status == PROCESSING:
                current = rng.randint(2, n - 1) if n > 2 else n - 1
            elif status == READY:
                current = n
            else:
                current = rng.randint(1, n - 1)
            progress_end = now - rng.uniform(60, max(120.0, min(now - received, DAY) * 0.5))
            span = max(progress_end - received, 120.0)
            total = due - counted_from
            share_sum = 0.0
            ids = []
            times = []
            for i, (order, step_name, _agency, role, share) in enumerate(steps):
                self.step_id += 1
                ids.append(self.step_id)
                share_f = float(share)
                started = completed = assignee = None
                step_due = counted_from + total * (share_sum + share_f)
                share_sum += share_f
                if i == 0:
                    started = completed = received
                    assignee = reception
                elif i < current:
                    started = received + span * (i - 1) / max(current, 1)
                    completed = received + span * i / max(current, 1)
                    assignee = self.officer(step_agency[i], role)
                elif i == current:
                    started = received + span * (i - 1) / max(current, 1) if i > 1 else received
                    assignee = self.officer(step_agency[i], role) if rng.random() < 0.7 else None
                    holder_user = assignee
                times.append((started, completed))
                step_rows.append(
                    f"{self.step_id}\t{order}\tprocess\t{copy_text(step_name)}\t{role}\t{share}\t"
                    f"{ts_text(started)}\t{ts_text(step_due)}\t{ts_text(completed)}\t\t"
                    f"{step_agency[i]}\t{nullable(assignee)}\t{pk}"
                )
            actions.append(
                (
                    received,
                    "receive",
                    SUBMITTED,
                    RECEIVED,
                    reception,
                    step_agency[min(1, n - 1)],
                    ids[0],
                    "",
                    receive_data,
                )
            )
            before = RECEIVED
            for i in range(1, current if status != READY else n - 1):
                completed = times[i][1]
                kind = "approve" if steps[i][3] == "leader" else "forward"
                data = (
                    f'{{"to_step": {i + 2}}}'
                    if kind == "forward"
                    else f'{{"approved": true, "to_step": {i + 2}}}'
                )
                target = step_agency[i + 1] if i + 1 < n else receiving
                actor = self.officer(step_agency[i], steps[i][3])
                actions.append((completed, kind, before, PROCESSING, actor, target, ids[i], "", data))
                before = PROCESSING
            if status == READY:
                finished = progress_end
                actions.append(
                    (
                        finished - 60,
                        "attach_result",
                        PROCESSING,
                        PROCESSING,
                        reception,
                        receiving,
                        ids[-1],
                        "",
                        "{}",
                    )
                )
                actions.append(
                    (
                        finished,
                        "mark_ready",
                        PROCESSING,
                        READY,
                        reception,
                        receiving,
                        ids[-1],
                        "",
                        '{"on_time": %s}' % ("true" if finished <= due else "false"),
                    )
                )
                holder = receiving
            else:
                current_step = ids[current]
                holder = step_agency[current]
                if status in (PAYMENT, SUPPLEMENT):
                    kind = "request_payment" if status == PAYMENT else "request_supplement"
                    data = (
                        f'{{"amount": {max(v.fee, 50000)}}}'
                        if status == PAYMENT
                        else '{"items": ["Giấy xác nhận của cơ quan liên quan"], "files": [], "notice": "02"}'
                    )
                    actions.append(
                        (
                            progress_end,
                            kind,
                            before,
                            status,
                            self.officer(holder, "specialist"),
                            holder,
                            ids[current],
                            "",
                            data,
                        )
                    )
                    if status == SUPPLEMENT:
                        paused = progress_end
                        self.pause_id += 1
                        out["pause"].append(
                            f"{self.pause_id}\t{ts_text(paused)}\t\\N\tYêu cầu bổ sung hồ sơ\t{pk}"
                        )

        actions.sort(key=lambda a: a[0])
        for at, kind, before, after, actor, agency, step, note, data in actions:
            self.action_id += 1
            out["action"].append(
                f"{self.action_id}\t{ts_text(at)}\t{kind}\t{before}\t{after}\t{copy_text(note)}\t{data}\t"
                f"{nullable(actor)}\t{nullable(agency)}\t{pk}\t{nullable(step)}"
            )
        out["step"].extend(step_rows)
        last_change = actions[-1][0] if actions else plan.created
        out["dossier"].append(
            "\t".join(
                (
                    str(pk),
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    code or "\\N",
                    name,
                    identity,
                    phone,
                    email,
                    copy_text(address),
                    "",
                    "",
                    "",
                    plan.channel,
                    str(status),
                    self.form(v, name, identity),
                    ts_text(plan.created),
                    ts_text(plan.submitted),
                    ts_text(received),
                    ts_text(counted_from),
                    ts_text(due),
                    ts_text(original_due),
                    ts_text(finished),
                    ts_text(returned),
                    ts_text(closed),
                    ts_text(paused),
                    "t" if apologized else "f",
                    str(v.fee),
                    str(len(actions)),
                    ts_text(last_change),
                    nullable(applicant_id),
                    nullable(deciding),
                    str(holder),
                    nullable(holder_user),
                    str(v.id),
                    str(receiving),
                    nullable(current_step),
                    "in_person",  # result_delivery: handed over at the counter
                    "",  # delivery_address
                    "",  # postal_tracking_number
                )
            )
        )
        self.counts[f"status {status}"] += 1
        if status in (RECEIVED, PROCESSING, PAYMENT, READY) and due is not None and due < now:
            self.counts["overdue (open, due passed)"] += 1


COLUMNS = {
    "dossier": (
        "dossiers_dossier",
        "id, public_id, code, applicant_name, applicant_identity, applicant_phone, applicant_email, "
        "applicant_address, subject_name, subject_identity, subject_relation, channel, status, form_data, "
        "created_at, submitted_at, received_at, counted_from, due_at, original_due_at, finished_at, "
        "returned_at, closed_at, paused_since, apologized, fee_due, revision, updated_at, applicant_id, "
        "deciding_agency_id, holder_agency_id, holder_user_id, procedure_version_id, receiving_agency_id, "
        "current_step_id, result_delivery, delivery_address, postal_tracking_number",
    ),
    "step": (
        "dossiers_step",
        'id, "order", kind, name, role, share, started_at, due_at, completed_at, note, agency_id, '
        "assignee_id, dossier_id",
    ),
    "action": (
        "dossiers_action",
        "id, at, type, status_before, status_after, note, data, actor_id, agency_id, dossier_id, step_id",
    ),
    "pause": ("dossiers_pause", "id, started_at, ended_at, reason, dossier_id"),
}
LOADED_TABLES = [table for table, _columns in COLUMNS.values()]
DOSSIER_TABLES = [
    "dossiers_dossier",
    "dossiers_step",
    "dossiers_action",
    "dossiers_attachment",
    "dossiers_pause",
    "dossiers_payment",
    "dossiers_dailysequence",
]


# --- loading --------------------------------------------------------------------------------------


def drop_secondary(cursor) -> list[str]:
    """Drop the loaded tables' foreign keys, unique constraints and secondary indexes; return the DDL
    that recreates them (indexes first, then unique constraints, then foreign keys)."""
    indexes, uniques, foreign = [], [], []
    for table in LOADED_TABLES:
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [table],
        )
        for name, kind, definition in cursor.fetchall():
            (foreign if kind == "f" else uniques).append((table, name, definition))
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes += [(table, name, definition) for name, definition in cursor.fetchall()]
    for table, name, _definition in foreign + uniques:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _table, name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return (
        [definition for _t, _n, definition in indexes]
        + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in uniques]
        + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in foreign]
    )


# A copy's new value of a column (``{k}``: the copy's number, ``{dossier}``, ``{step}``: the highest id
# generated in Python); the other columns are copied as they are.
COPY_EXPRESSIONS = {
    "dossier": {
        "id": "id + {k} * {dossier}",
        "public_id": "gen_random_uuid()",
        "code": "code || '.' || {k}",
        "current_step_id": "current_step_id + {k} * {step}",
    },
    "step": {"id": "id + {k} * {step}", "dossier_id": "dossier_id + {k} * {dossier}"},
    "action": {
        "id": "id + {k} * {action}",
        "dossier_id": "dossier_id + {k} * {dossier}",
        "step_id": "step_id + {k} * {step}",
    },
    "pause": {"id": "id + {k} * {pause}", "dossier_id": "dossier_id + {k} * {dossier}"},
}


def replicate(cursor, copies: int) -> Counter[str]:
    """Copy the dossiers generated in Python, with their steps, actions and pauses, ``copies - 1``
    times in SQL (the secondary indexes are dropped at this point); the rows added per table."""
    added: Counter[str] = Counter()
    highest = {}
    for key, (table, _columns) in COLUMNS.items():
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
        highest[key] = cursor.fetchone()[0]
    for k in range(1, copies):
        for key, (table, columns) in COLUMNS.items():
            names = [name.strip() for name in columns.split(",")]
            select = ", ".join(
                COPY_EXPRESSIONS[key].get(name.strip('"'), name).format(k=k, **highest) for name in names
            )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {select} FROM {table} WHERE id <= {highest[key]}"
            )
            added[key] += cursor.rowcount
        print(f"    copy {k} of {copies - 1}: {added['dossier']:,} dossiers added", flush=True)
    return added


def produce(plans: list[Plan], builder: Builder, batch: int, out_queue: queue.Queue) -> None:
    try:
        for start in range(0, len(plans), batch):
            rows: dict[str, list[str]] = {"dossier": [], "step": [], "action": [], "pause": []}
            for offset, plan in enumerate(plans[start : start + batch]):
                builder.dossier(start + offset + 1, plan, rows)
            out_queue.put(rows)
        out_queue.put(None)
    except BaseException as exc:
        out_queue.put(exc)
        raise


def load(args: argparse.Namespace, plans: list[Plan], builder: Builder) -> dict[str, float]:
    from django.db import connection, transaction

    timings: dict[str, float] = {}
    rows_loaded: Counter[str] = Counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(f"TRUNCATE {', '.join(DOSSIER_TABLES)} RESTART IDENTITY CASCADE")
        recreate = drop_secondary(cursor)
        started = time.perf_counter()
        batches: queue.Queue = queue.Queue(maxsize=2)
        producer = threading.Thread(target=produce, args=(plans, builder, args.batch, batches), daemon=True)
        producer.start()
        done = 0
        while (rows := batches.get()) is not None:
            if isinstance(rows, BaseException):
                raise rows
            for key, (table, columns) in COLUMNS.items():
                if not rows[key]:
                    continue
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FREEZE)") as copy:
                    copy.write("\n".join(rows[key]) + "\n")
                rows_loaded[key] += len(rows[key])
            done += len(rows["dossier"])
            elapsed = time.perf_counter() - started
            total = sum(rows_loaded.values())
            print(
                f"    {done:>9,} dossiers, {total:>10,} rows  {elapsed:6.1f} s  "
                f"{total / elapsed:9,.0f} rows/s",
                flush=True,
            )
        producer.join()
        timings["copy"] = time.perf_counter() - started
        if args.copies > 1:
            started = time.perf_counter()
            rows_loaded.update(replicate(cursor, args.copies))
            timings["copies"] = time.perf_counter() - started
        # Daily sequences, consistent with the codes.
        lines = [f"{agency}\t{day.isoformat()}\t{last}" for (agency, day), last in builder.sequences.items()]
        with cursor.copy("COPY dossiers_dailysequence (agency_id, day, last) FROM STDIN") as copy:
            copy.write("\n".join(lines) + "\n")
        rows_loaded["dailysequence"] = len(lines)
        started = time.perf_counter()
        for statement in recreate:
            cursor.execute(statement)
        timings["indexes and foreign keys"] = time.perf_counter() - started
        for table in [*LOADED_TABLES, "dossiers_dailysequence"]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT max(id) FROM {table}), 1))"
            )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join([*DOSSIER_TABLES, 'accounts_user', 'accounts_membership'])}")
    timings["analyze"] = time.perf_counter() - started
    timings.update({f"rows {key}": float(n) for key, n in rows_loaded.items()})
    timings["statements"] = len(recreate)
    return timings


def main() -> int:
    args = parse_args()
    connection = setup_django()
    from django.utils import timezone

    total_started = time.perf_counter()
    print("Dossier fill")
    print(f"  database         {connection.settings_dict['NAME']} on {connection.settings_dict['HOST']}")
    started = time.perf_counter()
    prepare_database()
    print(f"  migrate + import_units + load_demo  {time.perf_counter() - started:.1f} s")

    from motcua.dossiers.models import Dossier

    existing = Dossier.objects.count()
    if existing and not args.reset:
        print(
            f"  the database already holds {existing:,} dossiers: nothing done (pass --reset to replace them)"
        )
        return 0
    started = time.perf_counter()
    accounts = ensure_accounts(args.citizens)
    ref = load_reference()
    print(
        f"  accounts         {accounts['officers']} officers, {accounts['citizens']} citizens created "
        f"({len(ref.citizens)} citizens in all), {time.perf_counter() - started:.1f} s"
    )
    now_dt = timezone.now()
    now = now_dt.timestamp()
    today = timezone.localdate(now_dt)
    first = today - datetime.timedelta(days=round(args.months * 30.44))
    clock = Clock(first - datetime.timedelta(days=200), today + datetime.timedelta(days=1))
    started = time.perf_counter()
    total = args.dossiers
    args.dossiers = total // max(1, args.copies)
    plans = build_plans(args, ref, clock, now)
    args.dossiers = total
    print(f"  planned          {len(plans):,} dossiers since {first}, {time.perf_counter() - started:.1f} s")

    builder = Builder(ref, clock, now, args.seed)
    started = time.perf_counter()
    timings = load(args, plans, builder)
    load_seconds = time.perf_counter() - started
    rows = {key.removeprefix("rows "): int(v) for key, v in timings.items() if key.startswith("rows ")}
    total_rows = sum(rows.values())
    print(f"  loaded           {', '.join(f'{n:,} {k}' for k, n in rows.items())}")
    print(
        f"  COPY             {timings['copy']:.1f} s, {total_rows / timings['copy']:,.0f} rows/s "
        f"({rows['dossier'] / timings['copy']:,.0f} dossiers/s)"
    )
    print(
        f"  indexes + FKs    {timings['indexes and foreign keys']:.1f} s "
        f"({int(timings['statements'])} statements)"
    )
    if "copies" in timings:
        print(f"  copied in SQL    {args.copies - 1} times, {timings['copies']:.1f} s")
        for key in list(builder.counts):
            builder.counts[key] *= args.copies
    print(f"  ANALYZE          {timings['analyze']:.1f} s")
    print(f"  load in all      {load_seconds:.1f} s, {total_rows / load_seconds:,.0f} rows/s")
    print(
        "  statuses         "
        + ", ".join(
            f"{k.split()[1]}: {n:,}"
            for k, n in sorted(builder.counts.items(), key=lambda kv: (len(kv[0]), kv[0]))
            if k.startswith("status")
        )
    )
    open_inbox = sum(
        builder.counts[f"status {s}"] for s in (SUBMITTED, RECEIVED, PROCESSING, SUPPLEMENT, PAYMENT, READY)
    )
    overdue = builder.counts["overdue (open, due passed)"]
    print(
        f"  open (inbox)     {open_inbox:,} ({open_inbox / (len(plans) * max(1, args.copies)):.1%}), "
        f"overdue {overdue:,} "
        f"({overdue / max(open_inbox, 1):.1%} of the open ones)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.code, count(*) FROM dossiers_dossier d "
            "JOIN agencies_agency a ON a.id = d.holder_agency_id WHERE d.status IN (1, 2, 4, 5, 6, 9) "
            "GROUP BY a.code ORDER BY 2 DESC LIMIT 5"
        )
        busiest = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print("  busiest inboxes  " + ", ".join(f"{code}: {n:,}" for code, n in busiest))
    print(f"  database size    {size}")
    print(f"  total            {time.perf_counter() - total_started:.1f} s")
    print(f"  load average     {load_average()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
