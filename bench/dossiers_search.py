"""Latency of the staff search (motcua.dossiers.search) on a database filled by dossiers_fill.py.

For several officers (the busiest commune's, a department's, the provincial committee's, which decides
few dossiers, the demo specialist of two agencies, the province administrator) and five kinds of query,
each drawn ``--samples`` times from dossiers the officer sees:

- ``code prefix``: one day's dossiers at an agency (``000.01.01.H59-260312``), or a whole code;
- ``name``: two or three words of an applicant's name, without diacritics (``van an``, ``nguyen thi lan``);
- ``identity``: an applicant's identity number;
- ``procedure + month``: a procedure's dossiers received in one month;
- ``status + range``: a status and three months of reception dates;

times the first page (25 rows) and the next one when there is one, in-process through the selector,
then over HTTP (GET /api/dossiers/search with a bearer token, granian as in production). Prints p50/p95
per officer and kind, in all, and the plans of the slowest in-process query.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_search
    .venv/bin/python bench/dossiers_search.py

A benchmark, not a test: it exits 0 whether the target (p95 < 50 ms) is met or not (2 on a wrong database).
"""

import argparse
import datetime
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
KINDS = ["code prefix", "name", "identity", "procedure + month", "status + range"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=12, help="queries of each kind per officer")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--no-http", action="store_true", help="measure the selector only")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def officers() -> list[tuple[str, str]]:
    from django.db.models import Count

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier

    received = list(
        Dossier.objects.values("receiving_agency__code").annotate(n=Count("id")).order_by("-n")[:1]
    )
    deciding = list(
        Dossier.objects.filter(deciding_agency__kind__in=["department", "provincial_committee"])
        .values("deciding_agency__code", "deciding_agency__kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    department = next((d for d in deciding if d["deciding_agency__kind"] == "department"), None)
    committee = next((d for d in deciding if d["deciding_agency__kind"] == "provincial_committee"), None)
    chosen = []
    for label, code in (
        ("busiest commune", received[0]["receiving_agency__code"] if received else None),
        ("a department", department["deciding_agency__code"] if department else None),
        ("provincial committee", committee["deciding_agency__code"] if committee else None),
    ):
        username = f"bench.{code.lower()}.specialist1" if code else ""
        if username and User.objects.filter(username=username).exists():
            chosen.append((f"{label} {code}", username))
    for username, label in (("specialist", "demo specialist (2 agencies)"), ("admin", "province admin")):
        if User.objects.filter(username=username).exists():
            chosen.append((label, username))
    return chosen


def month_range(day: datetime.date, months: int = 1) -> tuple[datetime.date, datetime.date]:
    start = day.replace(day=1)
    end = start
    for _ in range(months):
        end = (end + datetime.timedelta(days=32)).replace(day=1)
    return start, end - datetime.timedelta(days=1)


def sample_queries(user, rng: random.Random, n: int) -> dict[str, list]:
    """``n`` queries of each kind, their values taken from dossiers ``user`` sees."""
    from motcua.core.text import fold
    from motcua.dossiers.search import DossierQuery, search

    today = datetime.date.today()
    seen = []
    for months_back in range(1, 25, 2):
        day = today - datetime.timedelta(days=30 * months_back)
        start, end = month_range(day)
        seen += search(user, DossierQuery(received_from=start, received_to=end), size=40).rows
    seen = [d for d in seen if d.code]
    if not seen:
        return {}
    queries: dict[str, list] = defaultdict(list)
    for i in range(n):
        row = rng.choice(seen)
        queries["code prefix"].append(DossierQuery(code=row.code if i % 4 == 0 else row.code[:-5]))
        words = fold(row.applicant_name).split()
        queries["name"].append(DossierQuery(applicant=" ".join(words[1:] if i % 2 else words)))
        queries["identity"].append(DossierQuery(identity=row.applicant_identity))
        start, end = month_range(row.received_at.date())
        procedure = row.procedure_version.procedure.code
        queries["procedure + month"].append(
            DossierQuery(procedure=procedure, received_from=start, received_to=end)
        )
        start, end = month_range(row.received_at.date() - datetime.timedelta(days=60), months=3)
        queries["status + range"].append(
            DossierQuery(status=rng.choice([2, 3, 4, 7, 8, 10]), received_from=start, received_to=end)
        )
    return queries


def params(query) -> dict[str, str]:
    return {k: str(v) for k, v in query.__dict__.items() if v not in ("", None)}


def time_selector(user, query) -> tuple[float, float | None, int]:
    from motcua.dossiers.search import search

    started = time.perf_counter()
    page = search(user, query, size=PAGE_SIZE)
    first = (time.perf_counter() - started) * 1000
    if not page.next_cursor:
        return first, None, len(page.rows)
    started = time.perf_counter()
    search(user, query, after=page.next_cursor, size=PAGE_SIZE)
    return first, (time.perf_counter() - started) * 1000, len(page.rows)


def time_http(client: HttpClient, token: str, query) -> tuple[float, float | None, int]:
    path = "/api/dossiers/search?" + urllib.parse.urlencode({**params(query), "size": PAGE_SIZE})
    started = time.perf_counter()
    status, body = client.get(path, token)
    first = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status} {body[:300]!r}")
    page = json.loads(body)
    if not page["next"]:
        return first, None, len(page["results"])
    path += "&" + urllib.parse.urlencode({"after": page["next"]})
    started = time.perf_counter()
    status, body = client.get(path, token)
    return first, (time.perf_counter() - started) * 1000, len(page["results"])


def run(label: str, cases, measure) -> dict:
    """cases: [(officer label, kind, [queries], extra args)]; prints and returns the timings."""
    print(f"  {label}: first page / next page, {PAGE_SIZE} rows")
    firsts_all: list[float] = []
    nexts_all: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    slowest = (0.0, None)
    for officer, kind, queries, args in cases:
        measure(*args, queries[0])  # warm-up
        firsts, nexts, rows = [], [], 0
        for query in queries:
            first, following, found = measure(*args, query)
            firsts.append(first)
            rows += found
            if following is not None:
                nexts.append(following)
            if first > slowest[0]:
                slowest = (first, (args, query))
        firsts_all += firsts
        nexts_all += nexts
        by_kind[kind] += firsts + nexts
        print(
            f"    {officer[:38]:<38} {kind:<18} first p50 {percentile(sorted(firsts), 50):6.2f} "
            f"p95 {percentile(sorted(firsts), 95):6.2f} | next p50 {percentile(sorted(nexts), 50):6.2f} "
            f"p95 {percentile(sorted(nexts), 95):6.2f} ms ({rows / len(queries):.0f} rows/page 1, "
            f"{len(nexts)} next)"
        )
    for kind, values in by_kind.items():
        print(f"    all officers, {kind:<18} {figures(values)}")
    print(f"    all first pages   {figures(firsts_all)}")
    print(f"    all next pages    {figures(nexts_all)}")
    return {"first": sorted(firsts_all), "next": sorted(nexts_all), "slowest": slowest}


def explain(user, query) -> None:
    """The plans of the SQL one search runs (EXPLAIN ANALYZE of each statement)."""
    from django.db import connection

    from motcua.dossiers import search

    original = search._fetch

    def fetch(sql, values):
        with connection.cursor() as db:
            db.cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, values, prepare=False)
            print("    " + "\n    ".join(row[0] for row in db.fetchall()))
        return original(sql, values)

    search._fetch = fetch
    try:
        search.search(user, query, size=PAGE_SIZE)
    finally:
        search._fetch = original


def main() -> int:
    args = parse_args()
    connection = setup_django()
    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier

    total = Dossier.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier'))")
        size = cursor.fetchone()[0]
    print("Staff search benchmark")
    print(f"  database         {connection.settings_dict['NAME']}: {total:,} dossiers ({size} with indexes)")
    if total < 1000:
        print("  too few dossiers: run bench/dossiers_fill.py first")
        return 0
    print(f"  load average     {load_average()} at the start")
    rng = random.Random(args.seed)
    who = officers()
    users = {username: User.objects.get(username=username) for _label, username in who}
    samples = {username: sample_queries(users[username], rng, args.samples) for _label, username in who}
    print(f"  officers         {len(who)}; {args.samples} queries of each kind per officer")
    results = {}
    direct = [
        (label, kind, samples[username][kind], (users[username],))
        for label, username in who
        for kind in KINDS
        if samples[username]
    ]
    results["selector"] = run("selector search(user, query, after=...)", direct, time_selector)

    if not args.no_http:
        var_dir = tempfile.mkdtemp(prefix="motcua-bench-")
        server = AppServer(workers=args.workers, threads=2, var_dir=var_dir, ready_path="/api/units/08")
        client = HttpClient(server.port)
        try:
            print(f"  server           {server.description}")
            tokens = {username: client.token(username) for _label, username in who}
            over_http = [
                (label, kind, samples[username][kind], (client, tokens[username]))
                for label, username in who
                for kind in KINDS
                if samples[username]
            ]
            results["HTTP"] = run("GET /api/dossiers/search?...&after=...", over_http, time_http)
        finally:
            client.close()
            server.stop()
            shutil.rmtree(var_dir, ignore_errors=True)

    elapsed, (arguments, query) = results["selector"]["slowest"]
    print(f"  slowest in-process first page: {elapsed:.1f} ms, {query}; its plans now:")
    explain(arguments[0], query)
    print(f"  load average     {load_average()} at the end")
    print(f"  target (p95 < {TARGET_P95_MS:.0f} ms)")
    for key, timings in results.items():
        for page in ("first", "next"):
            p95 = percentile(timings[page], 95)
            verdict = "PASS" if p95 < TARGET_P95_MS else "FAIL"
            print(f"    {key:<8} {page} pages  {verdict}  p95 {p95:7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
