"""Reports at scale: the province's dashboard figures and the rankings from the aggregates, and what the
aggregates cost an action, on PostgreSQL.

1. Fills the database with ``--dossiers`` dossiers when it holds fewer (bench/dossiers_fill.py, COPY;
   ``--reset`` passed on when it already holds some), then rebuilds the reports' aggregates from
   scratch (motcua.reports.facts.rebuild: what ``manage.py rebuild_reports`` does) unless they are
   there already for every dossier (``--rebuild`` forces it).
2. Times, ``--repeat`` times each, round-robin over five periods (the last 12 months, this quarter so
   far, last month, last calendar year, a custom span starting and ending inside months):
   the province dashboard's figures (``indicators`` + ``score`` of the province), the indicators API's
   answer (``compare``: the period and the one before), the 12-month trend, and the ranking of every
   unit of each kind (communes, departments, commune committees): p50 / p95 / max in milliseconds.
3. An action with and without its aggregate update, alternately: ``--actions`` online dossiers waiting
   at reception (status 1) are asked to supplement by their one-stop officer
   (``dossiers.services.request_supplement``: the row lock, the rule table, form 02's snapshot, the
   action, the audit row, the outbox event; the filled dossiers have no papers, so a reception would
   be refused). "Without":
   as the application runs, the event goes to the outbox and the relay updates the aggregates later
   (the action pays nothing for them). "With": the same action with ``facts.refresh`` of its dossier
   in the same transaction (the alternative: keeping the aggregates in the action's transaction).
   Then the relay's cost per event: ``facts.refresh`` alone, in its own transaction.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_reports5m \\
        .venv/bin/python bench/reports.py --dossiers 5000000

The received dossiers stay received (a benchmark database); the outbox rows the actions wrote are
removed. A benchmark, not a test: it prints figures and exits 0 (2 on a wrong database).
"""

import argparse
import datetime
import itertools
import subprocess
import sys
import time
from pathlib import Path

from common import database_description, figures, load_average, setup_django

HERE = Path(__file__).resolve().parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=5_000_000, help="dossiers in the database")
    parser.add_argument("--repeat", type=int, default=40, help="timings of each figure per period")
    parser.add_argument("--actions", type=int, default=300, help="receptions timed (half with the update)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the aggregates even if present")
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="fill dossiers/copies dossiers and copy them in SQL (bench/dossiers_fill.py --copies); the "
        "aggregates are then rebuilt from the first copy and copied likewise (the same facts, new ids)",
    )
    return parser.parse_args()


def ensure_dossiers(n: int, copies: int) -> None:
    from motcua.dossiers.models import Dossier

    existing = Dossier.objects.count()
    if existing >= n:
        print(f"  dossiers         {existing:,} already there")
        return
    command = [sys.executable, str(HERE / "dossiers_fill.py"), "--dossiers", str(n), "--copies", str(copies)]
    if existing:
        command.append("--reset")
    print(f"  filling          {' '.join(command[1:])}")
    started = time.perf_counter()
    subprocess.run(command, check=True)
    print(f"  filled           {n:,} dossiers in {time.perf_counter() - started:.0f} s")


def rebuild_from_copies(copies: int) -> dict[str, int]:
    """The aggregates of a database filled with ``--copies``: dossier ``id + k × N`` (k < copies) is a
    copy of dossier ``id`` (N the highest id generated in Python, the dossiers' total ÷ copies): the
    first N dossiers' facts are computed as ``facts.rebuild`` computes them, copied for the other
    dossiers with their ids, and the daily and monthly sums multiplied by ``copies``."""
    from django.db import connection, transaction
    from django.db.models import Max, Q

    from motcua.dossiers.models import Dossier
    from motcua.reports import facts
    from motcua.reports.models import DayFigures, DossierFacts, MonthFigures

    highest = Dossier.objects.aggregate(hi=Max("pk"))["hi"] or 0
    template = highest // copies
    sums: facts.Sums = {}
    opens: dict = {}
    zone = facts._zone()
    done = 0
    with transaction.atomic():
        facts._empty_tables()
        for start in range(1, template + 1, 10_000):
            end = min(start + 10_000, template + 1)
            batch = facts.compute(Q(pk__gte=start, pk__lt=end), Q(dossier_id__gte=start, dossier_id__lt=end))
            for f in batch.values():
                facts.add(sums, f)
                if (key := facts.open_key(f, zone)) is not None:
                    opens[key] = opens.get(key, 0) + 1
            facts.save_facts(batch.values())
            done += len(batch)
            if (start // 10_000) % 10 == 0:
                print(f"    {done:,} facts computed", flush=True)
        columns = ", ".join(facts.COLUMNS)
        select = ", ".join(
            f"dossier_id + %s * {template}" if name == "dossier_id" else name for name in facts.COLUMNS
        )
        table = DossierFacts._meta.db_table
        with connection.cursor() as cursor:
            for k in range(1, copies):
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {select} FROM {table} WHERE dossier_id <= %s",
                    [k, template],
                )
                print(f"    facts copy {k} of {copies - 1}", flush=True)
        scaled = {key: [value * copies for value in values] for key, values in sums.items()}
        facts._insert(DayFigures, scaled)
        months = facts.by_month(scaled)
        facts._insert(MonthFigures, months)
        facts.insert_open({key: n * copies for key, n in opens.items()})
        # A check against the dossiers themselves: every received dossier counted once.
        received = Dossier.objects.filter(received_at__isnull=False).exclude(status=0).count()
        summed = sum(v[0] + v[1] + v[2] for v in scaled.values())
        print(f"    check: {received:,} received dossiers, {summed:,} in the daily sums", flush=True)
        assert received == summed, "the copied aggregates do not match the dossiers"
    return {"dossiers": done * copies, "days": len(scaled), "months": len(months)}


def ensure_aggregates(force: bool, copies: int) -> None:
    from django.db import connection

    from motcua.dossiers.constants import Status
    from motcua.dossiers.models import Dossier
    from motcua.reports import facts
    from motcua.reports.models import DayFigures, DossierFacts, MonthFigures

    wanted = Dossier.objects.exclude(status=Status.DRAFT).count()
    have = DossierFacts.objects.count()
    if have == wanted and not force:
        print(f"  aggregates       {have:,} dossiers' facts already there")
    else:
        started = time.perf_counter()
        if copies > 1:
            counts = rebuild_from_copies(copies)
        else:
            counts = facts.rebuild(batch=10_000, progress=lambda line: print(f"    {line}", flush=True))
        seconds = time.perf_counter() - started
        print(
            f"  rebuild          {counts['dossiers']:,} dossiers' facts, {counts['days']:,} daily and "
            f"{counts['months']:,} monthly rows in {seconds:.0f} s "
            f"({counts['dossiers'] / seconds:,.0f} dossiers/s)"
        )
        with connection.cursor() as cursor:
            for model in (DossierFacts, DayFigures, MonthFigures):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    with connection.cursor() as cursor:
        for model in (DossierFacts, DayFigures, MonthFigures):
            table = model._meta.db_table
            cursor.execute(
                "SELECT pg_size_pretty(pg_total_relation_size(%s)), (SELECT reltuples::bigint FROM pg_class "
                "WHERE relname = %s)",
                [table, table],
            )
            size, rows = cursor.fetchone()
            print(f"  {table:<24} {rows:>12,} rows  {size}")


def periods(today: datetime.date):
    from motcua.reports.periods import Period

    month_before = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
    return [
        ("last 12 months", Period(today - datetime.timedelta(days=364), today)),
        ("this quarter", Period(quarter.start, today)),
        ("last month", Period.month(month_before.year, month_before.month)),
        ("last year", Period.year(today.year - 1)),
        (
            "custom 200 days",
            Period(today - datetime.timedelta(days=230), today - datetime.timedelta(days=31)),
        ),
    ]


def time_figures(repeat: int) -> None:
    from django.utils import timezone

    from motcua.reports import selectors
    from motcua.reports.units import province_unit, units_of_kind

    province = province_unit()
    spans = periods(timezone.localdate())
    kinds = [k for k in ("commune", "department", "commune_committee") if units_of_kind(k)]
    jobs = {
        "province dashboard (indicators + score)": lambda p: (
            selectors.indicators(province, p),
            selectors.score(province, p),
        ),
        "indicators API (compare: period + previous)": lambda p: selectors.compare(province, p),
        "12-month trend": lambda p: selectors.monthly_trend(province, p.end),
        "by field": lambda p: selectors.by_field(province, p),
        **{
            f"ranking of every {k} ({len(units_of_kind(k))} units)": (lambda p, k=k: selectors.ranking(k, p))
            for k in kinds
        },
    }
    for job in jobs.values():  # warm the caches and the plans once
        job(spans[0][1])
    print(f"\nFigures, {repeat} times each over {len(spans)} periods ({', '.join(n for n, _p in spans)})")
    for name, job in jobs.items():
        timings = []
        for _round, (_label, period) in itertools.product(range(repeat), spans):
            started = time.perf_counter()
            job(period)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  {name:<46} {figures(timings)}")
    year = spans[0][1]
    data = selectors.indicators(province, year)
    received = next(f for f in data if f.code == "received")
    print(f"  (the province received {received.value:,} dossiers in the last 12 months)")


def time_actions(count: int) -> None:
    from django.db import transaction

    from motcua.accounts.constants import Role
    from motcua.accounts.models import Membership
    from motcua.dossiers import services
    from motcua.dossiers.constants import Status
    from motcua.dossiers.models import Dossier, OutboxEvent
    from motcua.reports import facts

    officers = {}
    for agency_id, user in (
        (m.agency_id, m.user)
        for m in Membership.objects.filter(role=Role.RECEPTION).select_related("user").order_by("user_id")
    ):
        officers.setdefault(agency_id, user)
    waiting = list(
        Dossier.objects.filter(
            status=Status.SUBMITTED, channel="online", receiving_agency_id__in=officers
        ).order_by("-submitted_at")[:count]
    )
    if len(waiting) < 20:
        print(f"\nActions: only {len(waiting)} dossiers waiting at reception; skipped")
        return
    first_event = (OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    plain, updated, relay = [], [], []
    for i, dossier in enumerate(waiting):
        officer = officers[dossier.receiving_agency_id]
        with_update = i % 2 == 1
        started = time.perf_counter()
        with transaction.atomic():
            services.request_supplement(dossier, actor=officer, items=["Bản sao giấy tờ tùy thân"])
            if with_update:
                facts.refresh([dossier.pk])
        elapsed = (time.perf_counter() - started) * 1000
        (updated if with_update else plain).append(elapsed)
    for dossier in waiting[::2]:  # the relay's side for the plain ones: one event, one refresh
        started = time.perf_counter()
        facts.refresh([dossier.pk])
        relay.append((time.perf_counter() - started) * 1000)
    OutboxEvent.objects.filter(id__gte=first_event).delete()
    p50 = sorted(plain)[len(plain) // 2]
    p50u = sorted(updated)[len(updated) // 2]
    print(f"\nActions: {len(waiting)} requests to supplement (services.request_supplement), alternately")
    print(f"  action, aggregates by the relay (outbox)     {figures(plain)}")
    print(f"  action + facts.refresh in its transaction    {figures(updated)}")
    print(f"  p50 cost of the update inside the action     {p50u - p50:+.2f} ms")
    print(f"  the relay's facts.refresh per event          {figures(relay)}")


def main() -> int:
    args = parse_args()
    setup_django()
    from common import prepare_database

    print("Reports benchmark")
    print(f"  database         {database_description()}")
    prepare_database()
    ensure_dossiers(args.dossiers, args.copies)
    ensure_aggregates(args.rebuild, args.copies)
    time_figures(args.repeat)
    time_actions(args.actions)
    print(f"\n  load average     {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
