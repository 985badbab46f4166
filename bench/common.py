"""What every benchmark in bench/ starts with, in one place.

Importing this module puts the repository on ``sys.path`` and sets Django's settings (``DEBUG`` off, as
in production: no query log). Then, in a script::

    from common import setup_django          # bench/ is the script's own directory
    connection = setup_django()              # DATABASE_URL: PostgreSQL, created if missing

- ``setup_django(allow_sqlite=False)``: creates the PostgreSQL database named in ``DATABASE_URL`` when it
  does not exist yet, runs ``django.setup()`` and refuses anything but PostgreSQL (exit status 2) unless
  ``allow_sqlite``;
- ``prepare_database()``: ``migrate``, ``import_units`` and ``load_demo`` without the demo's dossiers;
- ``ensure_citizens(n)``: benchmark citizen accounts with the demo password;
- ``AppServer``: the application under granian on 127.0.0.1, started and stopped by the script, and
  ``HttpClient``, one keep-alive connection to it that logs in for a bearer token;
- ``percentile``, ``figures``, ``load_average``, ``database_description``, ``conninfo``.

The benchmarks are not tests: they print figures and exit 0 (2 on a wrong database).
"""

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)  # DEBUG off needs a key
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")  # the benchmarks speak plain HTTP on 127.0.0.1

CITIZEN_PREFIX = "bench.citizen"


# --- the database ---------------------------------------------------------------------------------


def create_database_if_missing() -> None:
    """CREATE DATABASE for a PostgreSQL ``DATABASE_URL`` whose database does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"  created database {name}")


def setup_django(*, allow_sqlite: bool = False):
    """django.setup() on the database of DATABASE_URL (created if missing); exits with status 2 on
    anything but PostgreSQL unless ``allow_sqlite``. Returns Django's connection."""
    create_database_if_missing()
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql" and not allow_sqlite:
        print(
            f"Refusing to run on {connection.vendor}: set DATABASE_URL to a PostgreSQL database, e.g. "
            "postgres://postgres@127.0.0.1:5432/motcua_bench1m",
            file=sys.stderr,
        )
        sys.exit(2)
    return connection


def prepare_database() -> None:
    """migrate, import_units (once) and load_demo without its dossiers (idempotent)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from motcua.agencies.models import AdministrativeUnit
    from motcua.demo.seed import PROVINCE_CODE

    with open(os.devnull, "w") as quiet:
        if not AdministrativeUnit.objects.filter(code=PROVINCE_CODE, valid_to__isnull=True).exists():
            call_command("import_units", verbosity=0, stdout=quiet)
        call_command("load_demo", dossiers=0, verbosity=0, stdout=quiet)


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            return f"{connection.settings_dict['NAME']}: {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def conninfo() -> str:
    """The libpq connection string of Django's database, for plain psycopg."""
    from django.db import connection

    s = connection.settings_dict
    parts = {
        "dbname": s["NAME"],
        "user": s["USER"],
        "host": s["HOST"] or "127.0.0.1",
        "port": s["PORT"] or 5432,
    }
    if s.get("PASSWORD"):
        parts["password"] = s["PASSWORD"]
    return " ".join(f"{k}={v}" for k, v in parts.items())


def ensure_citizens(n: int) -> list[str]:
    """``n`` citizen accounts ``bench.citizen000001``… with the demo password (bench/dossiers_fill.py makes
    50,000 of them; created here when missing), unlocked."""
    from django.contrib.auth.hashers import make_password

    from motcua.accounts.constants import AccountKind
    from motcua.accounts.models import User
    from motcua.demo.seed import DEMO_PASSWORD

    names = [f"{CITIZEN_PREFIX}{i:06d}" for i in range(1, n + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                username=name,
                password=password,
                kind=AccountKind.CITIZEN,
                full_name=f"Công dân {name[-6:]}",
                identity_number=f"099{int(name[-6:]):09d}",
                phone=f"09{int(name[-6:]):08d}",
                email=f"{name}@bench.motcua.vn",
            )
            for name in names
            if name not in existing
        ]
    )
    _forget_login_failures(names)
    return names


def _forget_login_failures(names: list[str]) -> None:
    """Earlier runs' failed logins (django-axes' records) must not delay this run's."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username__in=names).delete()


# --- figures ----------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of values already sorted."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def figures(values: list[float]) -> str:
    values = sorted(values)
    return (
        f"p50 {percentile(values, 50):7.2f}  p95 {percentile(values, 95):7.2f}  "
        f"max {values[-1] if values else float('nan'):7.2f} ms  (n={len(values)})"
    )


def load_average() -> str:
    return f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)"


# --- over HTTP ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``granian --interface wsgi motcua.wsgi:application`` on 127.0.0.1 with ``workers`` processes of
    ``threads`` threads each, the way production runs it (docs/decisions/0004); ready when
    ``ready_path`` answers 200."""

    def __init__(self, *, workers: int, threads: int, var_dir: str, ready_path: str, port: int = 0):
        self.port = port or free_port()
        env = {**os.environ, "DJANGO_DEBUG": "0", "MOTCUA_VAR_DIR": var_dir, "MOTCUA_LOG_LEVEL": "WARNING"}
        self.log = open(Path(var_dir) / "granian.log", "w")  # noqa: SIM115
        command = [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--log-level",
            "warning",
            "--no-access-log",
            "motcua.wsgi:application",
        ]
        self.description = " ".join(["granian", *command[1:]])
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{ready_path}", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"granian did not start; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class HttpClient:
    """One keep-alive connection to 127.0.0.1:``port``."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # the next request opens a new connection
            raise

    def get(self, path: str, token: str | None = None) -> tuple[int, bytes]:
        return self.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})

    def post_json(self, path: str, body: dict, token: str | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", path, json.dumps(body).encode(), headers)

    def token(self, username: str) -> str:
        """A bearer token from POST /api/auth/token with the demo password."""
        from motcua.demo.seed import DEMO_PASSWORD

        status, body = self.post_json("/api/auth/token", {"username": username, "password": DEMO_PASSWORD})
        if status != 200:
            raise RuntimeError(f"token for {username}: HTTP {status} {body[:200]!r}")
        return json.loads(body)["access_token"]

    def close(self) -> None:
        self.conn.close()
