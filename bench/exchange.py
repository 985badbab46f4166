"""edXML exchange (motcua.exchange): packages per second, and documents exchanged per second between
two deployments on PostgreSQL.

1. **Packages** (no database): a document package with a 1 MB attachment (base64 in the package),
   - built and signed: the tree built from the dataclasses, XML-DSig (RSA-2048, SHA-256, exclusive
     C14N of the whole package) and the schema check every outgoing package gets (``services.seal``);
   - parsed and verified: read, signature verified against the sender's certificate, schema, parsed
     back to dataclasses (what ``services.check`` does with every package received).
2. **Two deployments** (``--documents N``, PostgreSQL): databases ``<DATABASE_URL>_a`` and ``_b``,
   migrated and seeded with one agency each and each other as peers; deployment B served by granian
   (2 workers); in this process, deployment A issues N documents (not timed: WeasyPrint renders them),
   then sends them (timed): each send builds, signs and validates the package in A's transaction, and
   after the commit POSTs it to B, which verifies it, stores it and files an incoming document with its
   PDF. ``--senders`` threads send at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_exchange \\
        .venv/bin/python bench/exchange.py [--seconds 5] [--documents 60] [--senders 4]

A benchmark, not a test: it prints figures and exits 0 (2 without PostgreSQL for part 2).
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import common
from common import REPO, AppServer

ATTACHMENT_BYTES = 1024 * 1024


def _timed(seconds: float, work) -> tuple[int, list[float]]:
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return len(times), times


def packages(seconds: float) -> None:
    import django

    django.setup()
    from motcua.exchange import edxml, schema, services, signature
    from motcua.exchange.tests import factories

    sender = factories.Keyed("000.00.00.H02", "Ủy ban nhân dân tỉnh Bên Kia", factories.issued_for("a", "A"))
    attachment = os.urandom(ATTACHMENT_BYTES)
    pkg = factories.package(attachment=attachment)
    data = services.seal(edxml.build_package(pkg), sender.key)
    print(f"Package: 1 attachment of {ATTACHMENT_BYTES:,} bytes → {len(data):,} bytes of edXML")

    def build_and_sign():
        services.seal(edxml.build_package(pkg), sender.key)

    def parse_and_verify():
        signed = signature.verify(data, sender.pem)
        schema.validate(signed)
        edxml.parse(signed)

    for name, work in (
        ("built + signed + validated", build_and_sign),
        ("parsed + verified + validated", parse_and_verify),
    ):
        work()  # warm up (schema loading)
        count, times = _timed(seconds, work)
        print(
            f"  {name:32s} {count / sum(times):7.2f} /s  (median {statistics.median(times) * 1000:.0f} ms, "
            f"{count} in {sum(times):.1f} s, one process)"
        )
    # Where the time goes.
    for name, work in (
        ("  of which: build the tree", lambda: edxml.build_package(pkg)),
        (
            "  of which: XML-DSig sign",
            lambda: signature.sign(edxml.build_package(pkg), services._load_key(sender.key)),
        ),
        ("  of which: schema check", lambda: schema.validate(edxml.read_xml(data))),
        ("  of which: XML-DSig verify", lambda: signature.verify(data, sender.pem)),
    ):
        count, times = _timed(min(seconds, 3), work)
        print(f"  {name:32s} {statistics.median(times) * 1000:7.1f} ms median")


# -- two deployments -------------------------------------------------------------------------------------


def _database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Part 2 needs DATABASE_URL=postgres://… (two databases are made from its name).")
        sys.exit(2)
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "motcua_bench_exchange"
    return tuple(parts._replace(path=f"/{name}_{side}").geturl() for side in ("a", "b"))  # type: ignore[return-value]


def _recreate(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


BENCH_ENV = {
    "DJANGO_DEBUG": "0",
    "MOTCUA_SIGNING_ENABLED": "0",  # the leaders' PAdES is bench/signing.py's; here the exchange's XML-DSig
    "MOTCUA_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    "MOTCUA_EVENT_DELIVERY": "on_commit",
    "MOTCUA_LOG_LEVEL": "WARNING",
}


def _manage(url: str, var_dir: Path, *args: str) -> str:
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url, "MOTCUA_VAR_DIR": str(var_dir)}
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _step(url: str, var_dir: Path, step_name: str, /, **args) -> None:
    code = (
        "import json; from motcua.exchange.tests.deployment import step; "
        f"step({step_name!r}, json.loads({json.dumps(args)!r}))"
    )
    _manage(url, var_dir, "shell", "-c", code)


def deployments(documents: int, senders: int) -> None:
    url_a, url_b = _database_urls()
    directory = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    agencies = {
        "a": ("000.00.00.H41", "Ủy ban nhân dân tỉnh Sông Hồng", "Tỉnh Sông Hồng", url_a),
        "b": ("000.00.00.H42", "Ủy ban nhân dân tỉnh Cửu Long", "Tỉnh Cửu Long", url_b),
    }
    for key in agencies:
        (directory / key).mkdir()
    port_b = common.free_port()
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = url_a
    os.environ["MOTCUA_VAR_DIR"] = str(directory / "a")
    import logging

    import django

    django.setup()
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    from motcua.signing import testca

    root = testca.make_root()
    material = {}
    for key, (_code, name, _place, _url) in agencies.items():
        issued = testca.issue(root, name, organization=name)
        password = secrets.token_urlsafe(8)
        (directory / f"{key}.p12").write_bytes(testca.pkcs12_bytes(issued, [root], password))
        (directory / f"{key}.pem").write_bytes(issued.pem)
        material[key] = password
    print(f"\nTwo deployments on PostgreSQL ({url_a.rsplit('/', 1)[-1]}, {url_b.rsplit('/', 1)[-1]}):")
    for me, other, peer_url in (("a", "b", f"http://127.0.0.1:{port_b}"), ("b", "a", "http://127.0.0.1:9")):
        code, name, place, url = agencies[me]
        _recreate(url)
        _manage(url, directory / me, "migrate", "--no-input")
        _step(
            url,
            directory / me,
            "seed",
            code=code,
            name=name,
            place=place,
            p12=str(directory / f"{me}.p12"),
            password=material[me],
            peer_code=agencies[other][0],
            peer_name=agencies[other][1],
            peer_pem=str(directory / f"{other}.pem"),
            peer_url=peer_url,
        )
    os.environ["DATABASE_URL"] = url_b
    os.environ["MOTCUA_VAR_DIR"] = str(directory / "b")
    server = AppServer(
        workers=2, threads=4, var_dir=str(directory / "b"), ready_path="/api/docs", port=port_b
    )
    os.environ["DATABASE_URL"] = url_a
    os.environ["MOTCUA_VAR_DIR"] = str(directory / "a")
    try:
        _exchange(agencies, documents, senders, url_b)
    finally:
        server.stop()


def _exchange(agencies: dict, documents: int, senders: int, url_b: str) -> None:
    import psycopg
    from django.db import connection

    from motcua.agencies.models import Agency
    from motcua.documents import services as document_services
    from motcua.documents.tests import factories as document_factories
    from motcua.exchange.constants import Direction, PackageState
    from motcua.exchange.models import Package
    from motcua.exchange.tests.deployment import _bureau

    agency, users = _bureau()
    bureau = document_factories.Bureau(
        agency=agency,
        clerk=users["Trần Văn Thư"],
        specialist=users["Lê Chuyên Viên"],
        reviewer=users["Phạm Góp Ý"],
        leader=users["Nguyễn Lãnh Đạo"],
        outgoing=agency.document_registers.get(direction="out"),
        incoming=agency.document_registers.get(direction="in"),
    )
    to = Agency.objects.get(code=agencies["b"][0])
    start = time.perf_counter()
    issued = [
        document_factories.issued(bureau, to=[to], kind="cong-van", summary=f"Về việc thử tải số {i}")
        for i in range(documents)
    ]
    print(
        f"  {documents} documents drafted, signed off and issued in A in "
        f"{time.perf_counter() - start:.1f} s (not timed)"
    )
    connection.close()
    latencies: list[float] = []
    lock = threading.Lock()

    def sender(chunk):
        for document in chunk:
            began = time.perf_counter()
            document_services.send(document, actor=bureau.clerk)
            with lock:
                latencies.append(time.perf_counter() - began)
        connection.close()

    chunks = [issued[i::senders] for i in range(senders)]
    threads = [threading.Thread(target=sender, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    sent = Package.objects.filter(direction=Direction.OUT, state=PackageState.SENT).count()
    with psycopg.connect(url_b) as conn:
        received = conn.execute("SELECT count(*) FROM exchange_package WHERE direction = 'in'").fetchone()[0]
        filed = conn.execute(
            "SELECT count(*) FROM documents_officialdocument"
            " WHERE direction = 'in' AND received_electronically"
        ).fetchone()[0]
        size = conn.execute("SELECT avg(size) FROM exchange_package WHERE direction = 'in'").fetchone()[0]
    latencies = sorted(value * 1000 for value in latencies)
    print(
        f"  sent {sent}/{documents}, received {received}, filed {filed} in B"
        f" (packages of {float(size or 0):,.0f} bytes)"
    )
    print(
        f"  {documents / elapsed:.1f} documents/s with {senders} sender thread(s) in A, B on granian 2×4;"
        f" per document {common.figures(latencies)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--skip-deployments", action="store_true")
    options = parser.parse_args()
    print(f"Machine: {os.cpu_count()} cores, load {common.load_average()}")
    if options.skip_deployments:
        packages(options.seconds)
        return
    # Part 2 sets up Django for deployment A; part 1 needs no database and runs in a child process.
    subprocess.run(
        [sys.executable, __file__, "--skip-deployments", "--seconds", str(options.seconds)], check=True
    )
    deployments(options.documents, options.senders)


if __name__ == "__main__":
    main()
