"""Throughput of online submission through the dossier API, beside the same inserts in plain psycopg.

Starts granian (bench/appserver.py) on 127.0.0.1 only against the database in DATABASE_URL, gets a
bearer token (POST /api/auth/token) for each of several citizen accounts, then has N concurrent clients
(threads, http.client with keep-alive) submit dossiers until ``--count`` are done or ``--seconds``
have passed:

- ``one request``: ``POST /api/dossiers`` with the form, ``submit: true`` and ``declaration: true``
  for procedure 1.014632, the only demo procedure whose documents are all optional, so the dossier
  is complete in one request (status 1, Mới đăng ký);
- ``with a document``: the path every other procedure needs, since POST /api/dossiers takes no
  file: ``POST /api/dossiers`` (draft with the form), ``POST /api/dossiers/{id}/files`` (the one
  required document of 2.000815, a 1 KB PDF, multipart) and ``POST /api/dossiers/{id}/submit``.

Then the same number of clients insert, in plain psycopg, what a submission leaves in the database in
one transaction each: the code's daily sequence, the dossier row with its code (status 1, every column
the ORM writes), its ``submit`` action,
its audit row and its event in the outbox (motcua.dossiers.events), one INSERT each. The ratio
API / plain shows what Django, the services and HTTP cost on top of the database work. For comparison
with the figures of earlier versions, which wrote no outbox row, the plain script also runs without
the event row (three INSERTs). The plain rows are deleted afterwards.

Then the events the API run left in the outbox are delivered in-process by the relay
(``motcua.dossiers.events.relay``, what ``manage.py relay_events`` runs), which queues one email task
each: its rate shows the relay keeps up with the submissions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench1m .venv/bin/python bench/dossiers_submit.py

Files uploaded by the second mode go to a temporary MOTCUA_VAR_DIR, removed at the end.
A benchmark, not a test: it exits 0 whether the targets are met or not (2 on a wrong database).
"""

import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from common import (
    AppServer,
    HttpClient,
    conninfo,
    ensure_citizens,
    load_average,
    percentile,
    prepare_database,
    setup_django,
)

ONE_REQUEST_PROCEDURE = "1.014632"
DOCUMENT_PROCEDURE = "2.000815"
TARGET_RATE = 200.0
TARGET_RATIO = 0.25
# A minimal valid PDF (filetype recognises it by its header), padded to about 1 KB.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n" + b"%" + b"0" * 900 + b"\n"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=2000, help="submissions per measurement")
    parser.add_argument("--seconds", type=float, default=120, help="time limit per measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (and connections)")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument("--warmup", type=int, default=40, help="untimed submissions first")
    parser.add_argument(
        "--modes", default="one,document", help="comma-separated: one (one request), document (3 requests)"
    )
    parser.add_argument("--skip-plain", action="store_true", help="do not run the plain psycopg measurement")
    parser.add_argument(
        "--idempotency",
        action="store_true",
        help="send a fresh Idempotency-Key with every one-request submission (its cost, issue 9)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="instead: profile N one-request submissions in-process (cProfile, SQL statements) and stop",
    )
    return parser.parse_args()


# --- accounts and server -------------------------------------------------------------------------


def request(
    method: str,
    port: int,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes]:
    own = connection is None
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


# --- the clients ------------------------------------------------------------------------------------


def form_one(rng: random.Random, unit: str) -> dict:
    return {
        "applicant_full_name": f"Nguyễn Văn {rng.choice(['An', 'Bình', 'Cường', 'Dũng', 'Hà'])}",
        "applicant_id_number": f"0{rng.randrange(10**10, 10**11)}",
        "applicant_address": {"unit": unit, "detail": f"Số {rng.randint(1, 300)}, tổ {rng.randint(1, 20)}"},
        "confirmation_case": "Điều kiện về nhà ở (chưa có nhà ở thuộc sở hữu)",
        "household_member_count": str(rng.randint(1, 7)),
    }


def form_document(rng: random.Random) -> dict:
    return {
        "requester_full_name": f"Trần Thị {rng.choice(['Lan', 'Mai', 'Hoa', 'Yến'])}",
        "requester_id_number": f"0{rng.randrange(10**10, 10**11)}",
        "document_name": "Bằng tốt nghiệp trung học phổ thông",
        "page_count": "2",
        "copy_count": str(rng.randint(1, 5)),
    }


def multipart(document_id: int) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="document"\r\n\r\n{document_id}\r\n'.encode(),
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="ban-chinh.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Run:
    """Shared counters of one measurement."""

    def __init__(self, count: int, seconds: float):
        self.count = count
        self.deadline = 0.0
        self.seconds = seconds
        self.lock = threading.Lock()
        self.issued = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def take(self) -> bool:
        with self.lock:
            if self.issued >= self.count or time.perf_counter() > self.deadline:
                return False
            self.issued += 1
            return True


def submit_one(conn, port, token, rng, agencies, unit, idempotency=False) -> str | None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if idempotency:
        headers["Idempotency-Key"] = uuid.uuid4().hex
    body = {
        "procedure": ONE_REQUEST_PROCEDURE,
        "receiving_agency": rng.choice(agencies),
        "form": form_one(rng, unit),
        "submit": True,
        "declaration": True,
    }
    status, answer = request("POST", port, "/api/dossiers", json.dumps(body).encode(), headers, conn)
    if status != 201:
        return f"HTTP {status}: {answer[:200]!r}"
    data = json.loads(answer)
    if data["status"]["code"] != 1 or data["errors"]:
        return f"not submitted: status {data['status']['code']} errors {data['errors']}"
    return None


def submit_with_document(conn, port, token, rng, document_id) -> str | None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = {"procedure": DOCUMENT_PROCEDURE, "form": form_document(rng)}
    status, answer = request("POST", port, "/api/dossiers", json.dumps(body).encode(), headers, conn)
    if status != 201:
        return f"draft: HTTP {status}: {answer[:200]!r}"
    ref = json.loads(answer)["id"]
    payload, content_type = multipart(document_id)
    file_headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    status, answer = request("POST", port, f"/api/dossiers/{ref}/files", payload, file_headers, conn)
    if status != 201:
        return f"file: HTTP {status}: {answer[:200]!r}"
    body = {"declaration": True}
    status, answer = request(
        "POST", port, f"/api/dossiers/{ref}/submit", json.dumps(body).encode(), headers, conn
    )
    if status != 200:
        return f"submit: HTTP {status}: {answer[:200]!r}"
    if json.loads(answer)["status"]["code"] != 1:
        return "submit: not submitted"
    return None


def api_client(run: Run, port: int, token: str, seed: int, mode: str, context: dict) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        while run.take():
            started = time.perf_counter()
            try:
                if mode == "one":
                    error = submit_one(
                        conn, port, token, rng, context["agencies"], context["unit"], context["idempotency"]
                    )
                else:
                    error = submit_with_document(conn, port, token, rng, context["document"])
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with run.lock:
                if error:
                    run.errors.append(error)
                else:
                    run.latencies.append(elapsed)
    finally:
        conn.close()


def measure(run: Run, target, clients: int, make_args) -> float:
    """Run ``clients`` threads of ``target(*make_args(i))`` until ``run`` is exhausted; the seconds taken."""
    threads = [threading.Thread(target=target, args=make_args(i)) for i in range(clients)]
    run.deadline = time.perf_counter() + run.seconds
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


# --- plain psycopg ----------------------------------------------------------------------------------

# The code's daily sequence (motcua.dossiers.codes), then the dossier with its code.
PLAIN_SEQUENCE = (
    "INSERT INTO dossiers_dailysequence (agency_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last = dossiers_dailysequence.last + 1 RETURNING last"
)
_PLAIN_COLUMNS = (
    "public_id, code, procedure_version_id, applicant_id, applicant_name, applicant_identity, "
    "applicant_phone, applicant_email, applicant_address, subject_name, subject_identity, "
    "subject_relation, channel, receiving_agency_id, deciding_agency_id, holder_agency_id, "
    "holder_user_id, current_step_id, status, form_data, created_at, submitted_at, received_at, "
    "counted_from, due_at, original_due_at, finished_at, returned_at, closed_at, paused_since, "
    "apologized, fee_due, revision, updated_at"
)
PLAIN_DOSSIER = (
    f"INSERT INTO dossiers_dossier ({_PLAIN_COLUMNS}) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '', '', '', 'online', %s, NULL, %s, NULL, NULL, 1, %s, "
    "%s, %s, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, 0, 1, %s) RETURNING id"
)
PLAIN_ACTION = (
    "INSERT INTO dossiers_action (dossier_id, at, actor_id, type, status_before, status_after, step_id, "
    "agency_id, note, data) VALUES (%s, %s, %s, 'submit', 0, 1, NULL, %s, '', '{}') RETURNING id"
)
PLAIN_AUDIT = (
    "INSERT INTO core_auditentry (at, actor_id, action, object_type, object_id, summary, data) "
    "VALUES (%s, %s, 'dossier.submit', 'dossiers.dossier', %s, %s, %s) RETURNING id"
)
PLAIN_EVENT = (
    "INSERT INTO dossiers_outboxevent (dossier_id, action, status, data, created_at, available_at, "
    "attempts, last_error) VALUES (%s, 'submit', 1, '{}', %s, %s, 0, '')"
)


def plain_client(run: Run, dsn: str, seed: int, context: dict, created: list[int], with_event: bool) -> None:
    import datetime

    import psycopg
    from psycopg.types.json import Jsonb

    rng = random.Random(seed)
    user_id, name, identity, phone, email = context["applicant"]
    mine = []
    with psycopg.connect(dsn) as conn:
        while run.take():
            started = time.perf_counter()
            now = datetime.datetime.now(datetime.UTC)
            form = form_one(rng, context["unit"])
            agency = rng.choice(context["agency_ids"])
            day = (now + datetime.timedelta(hours=7)).date()
            with conn.transaction(), conn.cursor() as cursor:
                cursor.execute(PLAIN_SEQUENCE, [agency, day])
                (number,) = cursor.fetchone()
                cursor.execute(
                    PLAIN_DOSSIER,
                    [
                        uuid.uuid4(),
                        f"PLAIN{agency}-{day:%y%m%d}-{number:04d}",
                        context["version"],
                        user_id,
                        name,
                        identity,
                        phone,
                        email,
                        agency,
                        agency,
                        Jsonb(form),
                        now,
                        now,
                        now,
                    ],
                )
                (pk,) = cursor.fetchone()
                cursor.execute(PLAIN_ACTION, [pk, now, user_id, context["agency_ids"][0]])
                cursor.execute(PLAIN_AUDIT, [now, user_id, str(pk), name, Jsonb({"status": 1})])
                if with_event:
                    cursor.execute(PLAIN_EVENT, [pk, now, now])
            mine.append(pk)
            elapsed = time.perf_counter() - started
            with run.lock:
                run.latencies.append(elapsed)
    with run.lock:
        created.extend(mine)


def delete_plain(dsn: str, ids: list[int]) -> None:
    import psycopg

    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(
            "DELETE FROM core_auditentry WHERE object_type = 'dossiers.dossier' AND object_id = ANY(%s)",
            [[str(i) for i in ids]],
        )
        cursor.execute("DELETE FROM dossiers_outboxevent WHERE dossier_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM dossiers_action WHERE dossier_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM dossiers_dossier WHERE id = ANY(%s)", [ids])


def relay_pending_events() -> None:
    """Deliver what the API run left in the outbox, as ``manage.py relay_events`` would (each event
    queues its email task), and print the rate; not a target."""
    from motcua.dossiers import events
    from motcua.dossiers.models import OutboxEvent

    pending = OutboxEvent.objects.count()
    meter = CpuMeter()
    before = meter.snapshot()
    started = time.perf_counter()
    taken = 0
    while (n := events.relay(batch=100)) > 0:
        taken += n
    seconds = time.perf_counter() - started
    after = meter.snapshot()
    print(f"  event relay (in this process), {pending} events waiting")
    print(
        f"    {taken} events delivered in {seconds:.1f} s = {taken / seconds if seconds else 0:.0f} events/s"
    )
    if taken:
        print(f"    CPU per event: {CpuMeter.per_submission(before, after, taken)}")


# --- profile --------------------------------------------------------------------------------------


def profile_submissions(n: int, username: str, agencies: list[str], unit: str, idempotency: bool) -> None:
    """One-request submissions in-process (django.test.Client, no HTTP, no server): time, SQL
    statements per submission by kind, and where the time goes (cProfile, the application's functions)."""
    import cProfile
    import io
    import pstats
    from collections import Counter

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.accounts.models import User
    from motcua.accounts.services import issue_token

    raw, _token = issue_token(User.objects.get(username=username))
    client = Client()
    rng = random.Random(5)

    def one() -> None:
        body = {
            "procedure": ONE_REQUEST_PROCEDURE,
            "receiving_agency": rng.choice(agencies),
            "form": form_one(rng, unit),
            "submit": True,
            "declaration": True,
        }
        headers = {"Idempotency-Key": uuid.uuid4().hex} if idempotency else {}
        response = client.post(
            "/api/dossiers",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
            headers=headers,
        )
        assert response.status_code == 201, response.content[:300]

    for _ in range(5):
        one()
    with CaptureQueriesContext(connection) as captured:
        one()
    statements = len(captured.captured_queries)
    kinds = Counter(" ".join(q["sql"].split()[:4])[:70] for q in captured.captured_queries)
    started = time.perf_counter()
    for _ in range(n):
        one()
    plain = (time.perf_counter() - started) * 1000 / n
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        one()
    profiler.disable()
    keyed = ", each with a fresh Idempotency-Key" if idempotency else ""
    print(
        f"  in-process profile of POST /api/dossiers submit=true ({ONE_REQUEST_PROCEDURE}), one client{keyed}"
    )
    print(f"    {plain:.1f} ms per submission without the profiler; {statements} SQL statements:")
    for kind, count in kinds.most_common():
        print(f"      {count:>2} x {kind}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"motcua/(api|dossiers|catalog|accounts|core)/", 25)
    print("    cProfile, cumulative, the application's functions (per-call times are per request x n):")
    lines = [line for line in out.getvalue().splitlines() if "motcua/" in line or "ncalls" in line]
    print("\n".join(f"      {line}" for line in lines))


# --- main ---------------------------------------------------------------------------------------------


class CpuMeter:
    """CPU seconds used by the server (its main process and workers), the local PostgreSQL (its processes,
    and those that ended since it started) and this script, read from /proc (Linux). Throughput on a
    shared 2-core machine swings by 20 % from run to run; CPU time per submission moves much less."""

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, server_pid: int | None = None):
        self.server_pid = server_pid

    def snapshot(self) -> dict[str, float]:
        server = postgres = 0
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            pid, ppid = int(entry.name), int(fields[1])
            own, ended = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
            if self.server_pid and (pid == self.server_pid or ppid == self.server_pid):
                server += own + (ended if pid == self.server_pid else 0)
            elif comm == "postgres":
                postgres += own + ended
        times = os.times()
        return {
            "server": server / self.TICK,
            "postgres": postgres / self.TICK,
            "script": times.user + times.system,
        }

    @staticmethod
    def per_submission(before: dict, after: dict, done: int) -> str:
        if not done or not Path("/proc/self/stat").exists():
            return "n/a"
        parts = {k: (after[k] - before[k]) * 1000 / done for k in before}
        used = ", ".join(f"{name} {ms:.2f} ms" for name, ms in parts.items() if name != "server" or ms)
        return f"{used}; total {sum(parts.values()):.2f} ms"


def report(
    label: str, run: Run, seconds: float, requests_per: int = 1, cpu: tuple[dict, dict] | None = None
) -> float:
    done = len(run.latencies)
    rate = done / seconds if seconds else 0.0
    values = sorted(t * 1000 for t in run.latencies)
    print(f"  {label}")
    print(
        f"    {done} submissions in {seconds:.1f} s = {rate:.1f} submissions/s"
        + (f" ({rate * requests_per:.0f} requests/s)" if requests_per > 1 else "")
    )
    print(
        f"    latency per submission: p50 {percentile(values, 50):.1f} ms, "
        f"p95 {percentile(values, 95):.1f} ms, "
        f"max {values[-1] if values else float('nan'):.1f} ms"
    )
    if cpu:
        print(f"    CPU per submission: {CpuMeter.per_submission(*cpu, done)}")
    if run.errors:
        print(f"    {len(run.errors)} errors, first: {run.errors[0]}")
    return rate


def main() -> int:
    args = parse_args()
    connection = setup_django()
    from motcua.accounts.models import User
    from motcua.agencies.models import AdministrativeUnit
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import receiving_agencies

    if not ProcedureVersion.objects.current().filter(procedure__code=ONE_REQUEST_PROCEDURE).exists():
        prepare_database()
    else:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    citizens = ensure_citizens(args.clients)
    version = ProcedureVersion.objects.current().get(procedure__code=ONE_REQUEST_PROCEDURE)
    agencies = receiving_agencies(version)
    unit = AdministrativeUnit.objects.current().filter(parent__code="08").order_by("code").first().code
    document_version = ProcedureVersion.objects.current().get(procedure__code=DOCUMENT_PROCEDURE)
    document = document_version.documents.filter(required=True).order_by("order", "id").first()
    if args.profile:
        profile_submissions(args.profile, citizens[0], [a.code for a in agencies], unit, args.idempotency)
        return 0
    before = Dossier.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]

    print("Dossier submission benchmark")
    print(f"  database         {connection.settings_dict['NAME']} ({before:,} dossiers before), {pg_version}")
    print(
        f"  clients          {args.clients} threads, each with its own citizen account, token "
        "and keep-alive connection"
    )
    print(f"  bounded by       {args.count} submissions or {args.seconds:.0f} s per measurement")
    print(f"  load average     {load_average()} at the start")
    var_dir = tempfile.mkdtemp(prefix="motcua-bench-")
    results: dict[str, float] = {}
    server = AppServer(
        workers=args.workers,
        threads=args.threads,
        var_dir=var_dir,
        ready_path=f"/api/procedures/{ONE_REQUEST_PROCEDURE}",
        port=args.port,
    )
    try:
        print(f"  server           {server.description}")
        login = HttpClient(server.port)
        tokens = [login.token(name) for name in citizens]
        login.close()
        context = {
            "agencies": [a.code for a in agencies],
            "unit": unit,
            "document": document.pk,
            "idempotency": args.idempotency,
        }
        for mode in modes:
            label = (
                f"API, one request: POST /api/dossiers submit=true ({ONE_REQUEST_PROCEDURE})"
                if mode == "one"
                else f"API, with a document: draft + upload + submit ({DOCUMENT_PROCEDURE}, 3 requests)"
            )
            warm = Run(args.warmup, args.seconds)
            measure(
                warm,
                api_client,
                args.clients,
                lambda i, w=warm, m=mode: (w, server.port, tokens[i], 1000 + i, m, context),
            )
            run = Run(args.count, args.seconds)
            meter = CpuMeter(server.process.pid)
            cpu_before = meter.snapshot()
            seconds = measure(
                run,
                api_client,
                args.clients,
                lambda i, r=run, m=mode: (r, server.port, tokens[i], i, m, context),
            )
            cpu = (cpu_before, meter.snapshot())
            results[mode] = report(label, run, seconds, 1 if mode == "one" else 3, cpu)
    finally:
        server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)

    if "one" in results:
        relay_pending_events()

    if not args.skip_plain:
        database = conninfo()
        applicant = User.objects.filter(username=citizens[0]).values_list(
            "pk", "full_name", "identity_number", "phone", "email"
        )[0]
        plain_context = {
            "unit": unit,
            "version": version.pk,
            "agency_ids": [a.pk for a in agencies],
            "applicant": applicant,
        }
        for key, with_event, label in (
            ("plain", True, "dossier + action + audit entry + outbox event (the API's rows)"),
            ("plain3", False, "dossier + action + audit entry (no event row, as before the outbox)"),
        ):
            created: list[int] = []
            warm = Run(args.warmup, args.seconds)
            measure(
                warm,
                plain_client,
                args.clients,
                lambda i, w=warm, c=created, e=with_event: (w, database, 1000 + i, plain_context, c, e),
            )
            run = Run(args.count, args.seconds)
            meter = CpuMeter()
            cpu_before = meter.snapshot()
            seconds = measure(
                run,
                plain_client,
                args.clients,
                lambda i, r=run, c=created, e=with_event: (r, database, i, plain_context, c, e),
            )
            cpu = (cpu_before, meter.snapshot())
            results[key] = report(
                f"plain psycopg, INSERT {label}, one transaction each, {args.clients} connections",
                run,
                seconds,
                cpu=cpu,
            )
            delete_plain(database, created)

    print(f"  load average     {load_average()} at the end")
    print("  targets")
    if "one" in results:
        rate = results["one"]
        verdict = "PASS" if rate >= TARGET_RATE else "FAIL"
        print(f"    API rate >= {TARGET_RATE:.0f}/s (one request)          {verdict} ({rate:.1f}/s)")
        if results.get("plain"):
            ratio = rate / results["plain"]
            verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
            print(
                f"    API >= {TARGET_RATIO:.0%} of plain psycopg               {verdict} "
                f"({ratio:.1%}: {rate:.1f} / {results['plain']:.1f}, the same four rows)"
            )
        if results.get("plain3"):
            print(
                f"    (against plain psycopg without the event row: {rate / results['plain3']:.1%}, "
                f"{rate:.1f} / {results['plain3']:.1f})"
            )
    if "document" in results:
        print(f"    (with a document, 3 requests: {results['document']:.1f} submissions/s, not a target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
