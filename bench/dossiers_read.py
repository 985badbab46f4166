"""Latency of the staff inbox and of the public lookup by code, on a database filled by dossiers_fill.py.

For several officers (the busiest agency's, a two-agency demo officer, a department's, the province
administrator who sees every agency) and filters (none, overdue, status), times the first inbox page
(motcua.dossiers.selectors.inbox, 25 rows) and the next pages, following ``next_cursor`` 5 times, and
prints p50/p95 per case and in all. Then times selectors.public_lookup over random existing codes.
Both are measured directly through the selectors and over HTTP through granian
(GET /api/dossiers with a bearer token, GET /api/dossiers/lookup/{code}), one client at a time.
Prints EXPLAIN (ANALYZE, BUFFERS) of the inbox query for the busiest agency (first page, and second page
with a status filter) and for the officer who sees every agency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench1m .venv/bin/python bench/dossiers_read.py

A benchmark, not a test: it exits 0 whether the targets are met or not (2 on a wrong database).
"""

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict

from common import AppServer, HttpClient, figures, load_average, percentile, setup_django

TARGET_P95_MS = 50.0
PAGE_SIZE = 25
NEXT_PAGES = 5
# (label, InboxFilters keyword arguments, GET /api/dossiers query parameters)
FILTERS = [
    ("no filter", {}, {}),
    ("overdue", {"overdue": True}, {"overdue": "true"}),
    ("status 4 (processing)", {"status": 4}, {"status": "4"}),
    ("status 1 (submitted)", {"status": 1}, {"status": "1"}),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=12, help="times each (officer, filter) walk is timed")
    parser.add_argument("--lookups", type=int, default=1000, help="timed public lookups")
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--no-http", action="store_true", help="measure the selectors only")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


# --- who and what ---------------------------------------------------------------------------------


def officers() -> list[tuple[str, str]]:
    """(label, username): the busiest agency's specialist, the second busiest's, a department's, two demo
    officers with two agencies each, the province administrator (every agency)."""
    from django.db.models import Count

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import INBOX_STATUSES

    busiest = list(
        Dossier.objects.filter(status__in=INBOX_STATUSES)
        .values("holder_agency__code", "holder_agency__kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    chosen: list[tuple[str, str]] = []
    picks = busiest[:2] + [b for b in busiest if b["holder_agency__kind"] == "department"][:1]
    for rank, row in enumerate(picks):
        code = row["holder_agency__code"]
        username = f"bench.{code.lower()}.specialist1"
        if User.objects.filter(username=username).exists():
            what = "busiest agency" if rank == 0 else "2nd busiest" if rank == 1 else "a department"
            chosen.append((f"{what} {code} ({row['n']:,} open), 1 agency", username))
    for username, label in (
        ("specialist", "demo specialist: Sở Tư pháp + P. Minh Xuân"),
        ("reception", "demo reception: TTPVHCC + P. Minh Xuân"),
        ("admin", "province admin: all 16 agencies"),
    ):
        if User.objects.filter(username=username).exists():
            chosen.append((label, username))
    return chosen


def random_codes(n: int, seed: int) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM dossiers_dossier")
        low, high = cursor.fetchone()
        rng = random.Random(seed)
        ids = [rng.randint(low, high) for _ in range(n * 2)]
        cursor.execute("SELECT code FROM dossiers_dossier WHERE id = ANY(%s) AND code IS NOT NULL", [ids])
        codes = [row[0] for row in cursor.fetchall()]
    rng.shuffle(codes)
    return codes[:n]


# --- direct ---------------------------------------------------------------------------------------


def walk_selectors(user, filters) -> tuple[float, list[float], int]:
    """First page and the next NEXT_PAGES pages: (first ms, [next ms], rows seen)."""
    from motcua.dossiers import selectors

    started = time.perf_counter()
    page = selectors.inbox(user, filters, size=PAGE_SIZE)
    first = (time.perf_counter() - started) * 1000
    rows = len(page.rows)
    nexts = []
    for _ in range(NEXT_PAGES):
        if not page.next_cursor:
            break
        started = time.perf_counter()
        page = selectors.inbox(user, filters, after=page.next_cursor, size=PAGE_SIZE)
        nexts.append((time.perf_counter() - started) * 1000)
        rows += len(page.rows)
    return first, nexts, rows


def inbox_sql(user, filters, after: str | None = None) -> list[str]:
    """The SQL of the inbox page query, as executed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import selectors

    with CaptureQueriesContext(connection) as captured:
        selectors.inbox(user, filters, after=after, size=PAGE_SIZE)
    sqls = [q["sql"] for q in captured.captured_queries]
    lateral = [sql for sql in sqls if "LATERAL" in sql]
    if lateral:
        return lateral + [sql for sql in sqls if 'FROM "dossiers_dossier"' in sql and " IN (" in sql]
    return [next(sql for sql in reversed(sqls) if 'FROM "dossiers_dossier"' in sql and "ORDER BY" in sql)]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- HTTP -----------------------------------------------------------------------------------------


class Server:
    """The application over HTTP (common.AppServer) and one keep-alive client to it."""

    def __init__(self, workers: int, var_dir: str):
        self.app = AppServer(workers=workers, threads=2, var_dir=var_dir, ready_path="/api/units/08")
        self.description = self.app.description
        self.client = HttpClient(self.app.port)
        self.get = self.client.get
        self.token = self.client.token

    def stop(self) -> None:
        self.client.close()
        self.app.stop()


def walk_http(server: Server, token: str, params: dict) -> tuple[float, list[float], int]:
    started = time.perf_counter()
    status, body = server.get("/api/dossiers?" + urllib.parse.urlencode({**params, "size": PAGE_SIZE}), token)
    first = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"GET /api/dossiers: HTTP {status} {body[:200]!r}")
    page = json.loads(body)
    rows = len(page["results"])
    nexts = []
    for _ in range(NEXT_PAGES):
        if not page["next"]:
            break
        query = urllib.parse.urlencode({**params, "size": PAGE_SIZE, "after": page["next"]})
        started = time.perf_counter()
        status, body = server.get(f"/api/dossiers?{query}", token)
        nexts.append((time.perf_counter() - started) * 1000)
        page = json.loads(body)
        rows += len(page["results"])
    return first, nexts, rows


# --- main -----------------------------------------------------------------------------------------


def run_inbox(label: str, cases, walk, rounds: int, warmup: int) -> dict:
    """cases: [(officer label, filter label, callable args)]; returns the timings by kind and case."""
    print(f"  inbox, {label}: first page / next pages ({NEXT_PAGES} x next_cursor), {PAGE_SIZE} rows each")
    firsts_all: list[float] = []
    nexts_all: list[float] = []
    per_case = {}
    for officer_label, filter_label, arguments in cases:
        for _ in range(warmup):
            walk(*arguments)
        firsts, nexts = [], []
        rows = 0
        for _ in range(rounds):
            first, more, rows = walk(*arguments)
            firsts.append(first)
            nexts += more
        firsts_all += firsts
        nexts_all += nexts
        per_case[(officer_label, filter_label)] = (sorted(firsts), sorted(nexts))
        p95_first = percentile(sorted(firsts), 95)
        p95_next = percentile(sorted(nexts), 95) if nexts else float("nan")
        print(
            f"    {officer_label[:52]:<52} {filter_label:<22} "
            f"first p50 {percentile(sorted(firsts), 50):6.2f} "
            f"p95 {p95_first:6.2f} | next p50 {percentile(sorted(nexts), 50):6.2f} p95 {p95_next:6.2f} ms "
            f"({rows} rows)"
        )
    print(f"    all first pages   {figures(firsts_all)}")
    print(f"    all next pages    {figures(nexts_all)}")
    return {"first": sorted(firsts_all), "next": sorted(nexts_all), "cases": per_case}


def main() -> int:
    args = parse_args()
    connection = setup_django()
    from motcua.accounts.models import User
    from motcua.dossiers import selectors
    from motcua.dossiers.models import Dossier

    total = Dossier.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier'))")
        table_size = cursor.fetchone()[0]
    print("Dossier reads benchmark")
    print(
        f"  database         {connection.settings_dict['NAME']}: {total:,} dossiers ({table_size}), "
        f"{pg_version}"
    )
    if total < 1000:
        print("  too few dossiers: run bench/dossiers_fill.py first")
        return 0
    print(f"  load average     {load_average()} at the start")
    who = officers()
    users = {username: User.objects.get(username=username) for _label, username in who}
    print(f"  officers         {len(who)}; filters: {', '.join(f[0] for f in FILTERS)}")
    print(f"  rounds           {args.rounds} timed (+{args.warmup} warm-up) per officer and filter")
    results: dict[str, dict] = {}

    direct_cases = [
        (label, flabel, (users[username], selectors.InboxFilters(**fkwargs)))
        for label, username in who
        for flabel, fkwargs, _params in FILTERS
    ]
    results["inbox direct"] = run_inbox(
        "selectors.inbox(user, filters, after=...)", direct_cases, walk_selectors, args.rounds, args.warmup
    )

    codes = random_codes(args.lookups + 50, args.seed)
    for code in codes[:50]:
        selectors.public_lookup(code)
    lookup_times = []
    for code in codes[50:]:
        started = time.perf_counter()
        found = selectors.public_lookup(code)
        lookup_times.append((time.perf_counter() - started) * 1000)
        assert found is not None and found.code == code
    results["lookup direct"] = {"all": sorted(lookup_times)}
    print(f"  public lookup, selectors.public_lookup(code), random existing codes: {figures(lookup_times)}")

    if not args.no_http:
        var_dir = tempfile.mkdtemp(prefix="motcua-bench-")
        server = Server(args.workers, var_dir)
        try:
            print(f"  server           {server.description}")
            tokens = {username: server.token(username) for _label, username in who}
            http_cases = [
                (label, flabel, (server, tokens[username], params))
                for label, username in who
                for flabel, _fkwargs, params in FILTERS
            ]
            results["inbox http"] = run_inbox(
                "GET /api/dossiers?...&after=...", http_cases, walk_http, args.rounds, args.warmup
            )
            for code in codes[:50]:
                server.get(f"/api/dossiers/lookup/{code}")
            http_lookups = []
            for code in codes[50:]:
                started = time.perf_counter()
                status, _body = server.get(f"/api/dossiers/lookup/{urllib.parse.quote(code)}")
                http_lookups.append((time.perf_counter() - started) * 1000)
                assert status == 200, status
            results["lookup http"] = {"all": sorted(http_lookups)}
            print(f"  public lookup, GET /api/dossiers/lookup/{{code}}: {figures(http_lookups)}")
        finally:
            server.stop()
            shutil.rmtree(var_dir, ignore_errors=True)

    # The busiest agency's first page, the same with a status filter on the second page (the cursor),
    # and the officer who sees the most agencies (an IN list of agencies).
    busiest_label, busiest_user = who[0]
    widest_label, widest_user = who[-1]
    for label, username, fkwargs, pages in (
        (busiest_label, busiest_user, {}, 0),
        (busiest_label, busiest_user, {"status": 4}, 1),
        (widest_label, widest_user, {}, 0),
    ):
        filters = selectors.InboxFilters(**fkwargs)
        after = None
        for _ in range(pages):
            after = selectors.inbox(users[username], filters, after=after, size=PAGE_SIZE).next_cursor
        what = ", ".join(f"{k}={v}" for k, v in fkwargs.items()) or "no filter"
        print(f"  EXPLAIN (ANALYZE, BUFFERS) of the inbox page query: {label}, {what}, page {pages + 1}")
        for sql in inbox_sql(users[username], filters, after):
            print("    " + explain(sql).replace("\n", "\n    "))

    print(f"  load average     {load_average()} at the end")
    print("  targets (p95 < 50 ms)")
    by_case: dict[str, list[float]] = defaultdict(list)
    for key in ("inbox direct", "inbox http"):
        if key in results:
            by_case[f"{key}, first pages"] = results[key]["first"]
            by_case[f"{key}, next pages"] = results[key]["next"]
    for key in ("lookup direct", "lookup http"):
        if key in results:
            by_case[key] = results[key]["all"]
    for label, values in by_case.items():
        p95 = percentile(values, 95)
        verdict = "PASS" if p95 < TARGET_P95_MS else "FAIL"
        print(f"    {label:<32} {verdict}  p95 {p95:7.2f} ms")
    for key in ("inbox direct", "inbox http"):
        if key not in results:
            continue
        failing = [
            f"{officer} / {flt}"
            for (officer, flt), (firsts, nexts) in results[key]["cases"].items()
            if percentile(sorted(firsts + nexts), 95) >= TARGET_P95_MS
        ]
        if failing:
            print(f"    {key}: cases with p95 >= 50 ms: {'; '.join(failing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
