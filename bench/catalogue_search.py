"""Benchmark of the catalogue search (motcua.catalog.selectors.search_procedures) on PostgreSQL.

Fills the catalogue to N published procedures from the national catalogue, then times realistic
searches the way the portal runs them (first page of 20 plus the count) and prints p50/p95/p99/max,
the reference queries' top results and the plan of a typical query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/catalogue_search.py

It refuses SQLite unless --allow-sqlite is given (a quick check, not a measurement).
A benchmark, not a test: it exits 0 whether the target is met or not.
"""

import argparse
import gzip
import itertools
import json
import random
import sys
import time
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from common import REPO, database_description, percentile, setup_django

DEFAULT_DATA = (REPO / ".." / "shared" / "data" / "procedures-national.jsonl.gz").resolve()
TARGET_P95_MS = 30.0
PAGE_SIZE = 20
REFERENCE_QUERIES = ["dang ky khai sinh", "Đăng ký khai sinh", "dang ki khai sinh"]
TYPICAL_QUERY = "dang ky khai sinh"
GIN_INDEX = "catalog_version_search_trgm"  # created by catalog/0002 (PostgreSQL)
BENCH_AGENCY_CODE = "000.00.99.H99"
VARIANT_PLACES = [
    "xã Tân Phú",
    "phường Bến Thành",
    "xã Hòa Bình",
    "phường Ba Đình",
    "xã Đông Hưng",
    "phường Hải Châu",
    "xã Long Hưng",
    "phường Ninh Kiều",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--procedures", type=int, default=2000, help="fill the catalogue to this many")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="national catalogue (.jsonl.gz)")
    parser.add_argument("--queries", type=int, default=200, help="timed queries")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries first")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the query mix")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite (a quick check only)")
    return parser.parse_args()


# --- filling the catalogue ---------------------------------------------------------------------


def load_rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    name = name.removeprefix("Thủ tục ").strip()
    return name[:1].upper() + name[1:]


_TIME_UNITS = {
    "Ngày làm việc": ("working_days", 1),
    "Ngày": ("calendar_days", 1),
    "Giờ": ("working_hours", 1),
    "Tháng": ("calendar_days", 30),
}


def processing_time(row: dict) -> tuple[Decimal, str]:
    for channel in row.get("channels") or []:
        value = channel.get("time_value")
        if value and value > 0:
            unit, factor = _TIME_UNITS.get(channel.get("time_unit") or "", ("working_days", 1))
            amount = min(Decimal(str(value)) * factor, Decimal("9999.99")).quantize(Decimal("0.01"))
            return max(amount, Decimal("0.01")), unit
    return Decimal(5), "working_days"


def version_values(row: dict, name: str, field) -> dict:
    levels = row.get("levels") or []
    level = "commune" if "Cấp xã" in levels and "Cấp tỉnh" not in levels else "province"
    online = any(c.get("channel") == "online" for c in row.get("channels") or [])
    amount, unit = processing_time(row)
    return {
        "name": name,
        "field": field,
        "level": level,
        "mode": "full_online" if online else "partial",
        "processing_time": amount,
        "time_unit": unit,
        "applicants": row.get("applicants") or "",
        "description": row.get("steps_text") or "",
        "conditions": row.get("conditions_text") or "",
        "legal_basis": row.get("legal_basis_text") or "",
        "result": (row.get("result_text") or "").strip()[:1000] or "Kết quả giải quyết thủ tục hành chính",
    }


def bench_agency():
    from motcua.agencies.models import AdministrativeUnit, Agency

    agency = Agency.objects.order_by("pk").first()
    if agency is not None:
        return agency
    unit = AdministrativeUnit.objects.order_by("pk").first()
    if unit is None:
        unit = AdministrativeUnit.objects.create(code="99", name="Tỉnh Benchmark", type="province")
    return Agency.objects.create(
        code=BENCH_AGENCY_CODE,
        name="Trung tâm Phục vụ hành chính công (benchmark)",
        kind="service_centre",
        unit=unit,
        receives_dossiers=True,
    )


class FieldResolver:
    """Field by name. get_or_create_field slugs the name, so two spellings of one field
    ('Thi đua – Khen thưởng', 'Thi đua khen thưởng') collide on the unique code: give the second
    a suffixed code."""

    def __init__(self) -> None:
        self.cache: dict[str, object] = {}

    def __call__(self, name: str):
        from django.db import IntegrityError, transaction
        from django.utils.text import slugify

        from motcua.catalog.models import Field
        from motcua.catalog.services import get_or_create_field
        from motcua.core.text import fold

        name = " ".join(name.split()) or "Khác"
        if name not in self.cache:
            try:
                with transaction.atomic():
                    self.cache[name] = get_or_create_field(name)
            except IntegrityError:
                base = slugify(fold(name))[:70]
                code = next(
                    f"{base}-{i}"
                    for i in itertools.count(2)
                    if not Field.objects.filter(code=f"{base}-{i}").exists()
                )
                self.cache[name] = Field.objects.create(name=name, code=code)
        return self.cache[name]


def create_one(code: str, values: dict, agency) -> bool:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    from motcua.catalog.services import create_procedure, publish_version

    try:
        draft = create_procedure(
            code,
            version=values,
            agencies=[agency],
            documents=[
                {"name": "Tờ khai theo mẫu", "form": "original"},
                {"name": "Giấy tờ tùy thân", "form": "copy", "required": False},
            ],
            steps=[
                {"name": "Tiếp nhận, thẩm định và trả kết quả", "role": "specialist", "share": Decimal(1)}
            ],
        )
        publish_version(draft)
    except (ValidationError, IntegrityError):
        return False
    return True


def fill_catalogue(target: int, data_path: Path) -> dict:
    from django.db import transaction

    from motcua.catalog.models import Procedure, ProcedureVersion
    from motcua.catalog.validators import PROCEDURE_CODE_RE

    current = ProcedureVersion.objects.current().count()
    stats = {"before": current, "created": 0, "variants": 0, "skipped": 0, "seconds": 0.0}
    if current >= target:
        return stats
    started = time.perf_counter()
    rows = load_rows(data_path)
    existing = set(Procedure.objects.values_list("code", flat=True))
    agency = bench_agency()
    field_for = FieldResolver()
    usable = [r for r in rows if PROCEDURE_CODE_RE.match(r.get("code") or "") and r["code"] not in existing]
    needed = target - current

    def candidates():
        for row in usable:
            yield row["code"], clean_name(row["name"]), row, False
        # Not enough real rows: variants of them, for a commune or numbered, with codes 9.9xxxxx.
        serial = 900000
        for round_ in itertools.count(1):
            for row in rows:
                while f"9.{serial}" in existing:
                    serial += 1
                if serial > 999999:
                    return
                place = VARIANT_PLACES[(serial + round_) % len(VARIANT_PLACES)]
                suffix = f"tại {place}" if round_ == 1 else f"(bản {round_}) tại {place}"
                yield f"9.{serial}", f"{clean_name(row['name'])} {suffix}", row, True
                serial += 1

    source = candidates()
    while needed > 0:
        chunk = list(itertools.islice(source, 100))
        if not chunk:
            print(f"warning: ran out of procedure codes, {needed} short of {target}", file=sys.stderr)
            break
        with transaction.atomic():
            for code, name, row, variant in chunk:
                if needed <= 0:
                    break
                if create_one(code, version_values(row, name, field_for(row.get("field") or "")), agency):
                    existing.add(code)
                    needed -= 1
                    stats["created"] += 1
                    stats["variants"] += variant
                else:
                    stats["skipped"] += 1
    stats["seconds"] = time.perf_counter() - started
    return stats


# --- the query mix -----------------------------------------------------------------------------


def _case(rng: random.Random, text: str) -> str:
    return rng.choice([str.lower, str.lower, str.upper, str.capitalize, str])(text)


def _typo(rng: random.Random, words: list[str]) -> list[str]:
    positions = [i for i, w in enumerate(words) if len(w) >= 3]
    if not positions:
        return words
    i = rng.choice(positions)
    word = words[i]
    j = rng.randrange(1, len(word))
    kind = rng.choice(["replace", "drop", "swap"])
    if kind == "replace":
        word = word[:j] + rng.choice("aeioudghkmnty") + word[j + 1 :]
    elif kind == "drop":
        word = word[:j] + word[j + 1 :]
    elif j < len(word) - 1:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return [*words[:i], word, *words[i + 1 :]]


def build_queries(rng: random.Random, n: int, catalogue: list[tuple[str, str, str]]) -> list[dict]:
    """``catalogue``: (code, name, field code) of current versions. Each query dict has a shape."""
    from motcua.core.text import fold

    queries = []
    for _ in range(n):
        code, name, field = rng.choice(catalogue)
        roll = rng.random()
        if roll < 0.10:
            prefix = code if rng.random() < 0.7 else code[: rng.randint(5, len(code) - 1)]
            queries.append({"shape": "code", "q": prefix, "field": ""})
            continue
        words = name.split()
        length = rng.randint(1, min(5, len(words)))
        start = 0 if rng.random() < 0.6 else rng.randrange(0, len(words) - length + 1)
        chosen = words[start : start + length]
        if roll < 0.30:
            text = " ".join(_typo(rng, fold(" ".join(chosen)).split()))
            shape = "typo"
        else:
            text = " ".join(chosen)
            if rng.random() < 0.5:
                text = fold(text)
            shape = f"{length}w"
        text = _case(rng, text)
        with_field = roll >= 0.80
        queries.append(
            {
                "shape": f"{shape}+field" if with_field else shape,
                "q": text,
                "field": field if with_field else "",
            }
        )
    return queries


def run_search(q: str, field: str = "") -> tuple[float, list, int]:
    from django.core.paginator import Paginator

    from motcua.catalog.selectors import search_procedures

    started = time.perf_counter()
    page = Paginator(search_procedures(q, field=field), PAGE_SIZE).get_page(1)
    results = list(page.object_list)
    count = page.paginator.count
    return (time.perf_counter() - started) * 1000, results, count


# --- main --------------------------------------------------------------------------------------


def explain(q: str, field: str = "") -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.catalog import search
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import search_procedures

    qs = search_procedures(q, field=field)
    if isinstance(qs, search.RankedVersions):
        # Word search: the database finds the candidates, Python ranks them, the page is loaded by id.
        words = search.parse(q, search.vocabulary.get())
        qs = search.candidates(ProcedureVersion.objects.current(), words)
        label = "-- candidate query: motcua.catalog.search.candidates(...).explain(analyze=True)"
    else:
        label = "-- page query: search_procedures(...)[:20].explain(analyze=True)"
    if connection.vendor != "postgresql":
        return qs[:PAGE_SIZE].explain()
    lines = [label]
    lines.append(qs[:PAGE_SIZE].explain(analyze=True, buffers=True))
    # The count the paginator runs is a different statement: explain it from its SQL.
    with CaptureQueriesContext(connection) as captured:
        qs.count()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured.captured_queries[-1]["sql"])
        lines.append("-- count query (Paginator.count)")
        lines.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(lines)


def measure(queries: list[dict], warmup: int) -> list[tuple[float, dict, int]]:
    for query in queries[:warmup]:
        run_search(query["q"], query["field"])
    timings = []
    for query in queries[warmup:]:
        elapsed, _results, count = run_search(query["q"], query["field"])
        timings.append((elapsed, query, count))
    return timings


def summary(timings: list[tuple[float, dict, int]]) -> dict[str, float]:
    values = sorted(t for t, _q, _c in timings)
    return {f"p{p}": percentile(values, p) for p in (50, 95, 99)} | {"max": values[-1]}


def print_summary(label: str, figures: dict[str, float]) -> None:
    print(f"  {label}")
    for key in ("p50", "p95", "p99", "max"):
        print(f"    {key:<6} {figures[key]:8.2f} ms")


def print_breakdown(timings: list[tuple[float, dict, int]]) -> None:
    by_shape: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for elapsed, query, count in timings:
        by_shape[query["shape"]].append((elapsed, count))
    print("  by query shape (n, p50, p95, max in ms; mean number of matches)")
    for shape in sorted(by_shape):
        items = by_shape[shape]
        times = sorted(t for t, _c in items)
        mean_count = sum(c for _t, c in items) / len(items)
        print(
            f"    {shape:<12} n={len(items):>3}  p50 {percentile(times, 50):6.2f}  "
            f"p95 {percentile(times, 95):6.2f}  max {times[-1]:6.2f}  matches {mean_count:6.1f}"
        )
    print("  slowest queries")
    for elapsed, query, count in sorted(timings, key=lambda item: -item[0])[:5]:
        field = f" field={query['field']}" if query["field"] else ""
        print(f"    {elapsed:7.2f} ms  {query['shape']:<12} {query['q']!r}{field}  ({count} matches)")


def scan_lines(plan: str) -> list[str]:
    """The plan's scans of the versions table (and of its indexes), with their timings."""
    return [
        line.strip().removeprefix("->  ")
        for line in plan.splitlines()
        if "Scan on catalog_procedureversion" in line or f"Scan on {GIN_INDEX}" in line
    ]


def indexes_used(plan: str) -> str:
    return GIN_INDEX if GIN_INDEX in plan else "NO text-search index (sequential scan or other index)"


def flush_and_vacuum() -> int:
    """What autovacuum would eventually do: move the GIN pending list into the index, refresh the
    statistics. Returns the number of pending-list pages that were flushed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN_INDEX])
        pages = cursor.fetchone()[0]
        cursor.execute("VACUUM ANALYZE catalog_procedure, catalog_procedureversion, catalog_field")
    return pages


def main() -> int:
    args = parse_args()
    connection = setup_django(allow_sqlite=args.allow_sqlite)
    from django.core.management import call_command
    from django.test.utils import CaptureQueriesContext

    from motcua.catalog.models import ProcedureVersion

    if not args.data.exists():
        print(f"National catalogue not found: {args.data} (use --data PATH)", file=sys.stderr)
        return 2
    postgres = connection.vendor == "postgresql"

    call_command("migrate", interactive=False, verbosity=0)
    stats = fill_catalogue(args.procedures, args.data)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_procedure, catalog_procedureversion, catalog_field")

    search = "motcua.catalog.selectors.search_procedures"
    current = ProcedureVersion.objects.current()
    catalogue = list(current.values_list("procedure__code", "name", "field__code"))
    queries = build_queries(random.Random(args.seed), args.warmup + args.queries, catalogue)

    print("Catalogue search benchmark")
    print(f"  database         {database_description()}")
    print(f"  search           {search}")
    print(f"  procedures       {current.count()} current versions in the table")
    print(
        f"  filled           {stats['created']} created ({stats['variants']} variants), "
        f"{stats['skipped']} rows skipped (invalid), {stats['seconds']:.1f} s"
    )
    print(f"  queries          {args.queries} timed after {args.warmup} warm-up, seed {args.seed}")
    print(
        f"  each query       Paginator(search_procedures(q, field=...), {PAGE_SIZE}).get_page(1), "
        "rows + count"
    )
    with CaptureQueriesContext(connection) as captured:
        run_search(TYPICAL_QUERY)
    print(f"  SQL per search   {len(captured.captured_queries)} statements")

    if postgres:
        # First as found (right after a bulk load the GIN index still holds its rows in the pending list),
        # then after VACUUM, the state autovacuum eventually reaches.
        as_found = measure(queries, args.warmup)
        plan_before = explain(TYPICAL_QUERY)
        print_summary("as found (after the load, before VACUUM)", summary(as_found))
        print(f"    index used: {indexes_used(plan_before)}")
        for line in scan_lines(plan_before):
            print(f"    {line}")
        pages = flush_and_vacuum()
        label = f"after VACUUM ANALYZE ({pages} GIN pending-list pages flushed)"
    else:
        label = "SQLite"
    timings = measure(queries, args.warmup)
    figures = summary(timings)
    print_summary(label, figures)
    print_breakdown(timings)

    print("  reference queries")
    for q in REFERENCE_QUERIES:
        elapsed, results, count = run_search(q)
        top = f"{results[0].procedure.code} {results[0].name}" if results else "(no result)"
        print(f"    {q!r:<22} {elapsed:6.2f} ms  {count:>4} matches  top: {top}")

    print(f"  plan of {TYPICAL_QUERY!r}")
    plan = explain(TYPICAL_QUERY)
    print("    " + plan.replace("\n", "\n    "))
    if postgres:
        print(f"  index used: {indexes_used(plan)}")

    verdict = "PASS" if figures["p95"] < TARGET_P95_MS else "FAIL"
    print(
        f"  target           p95 < {TARGET_P95_MS:.0f} ms: {verdict} (p95 {figures['p95']:.2f} ms, {label})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
