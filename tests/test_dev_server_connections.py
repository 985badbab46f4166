"""The development server (`make demo` runs `manage.py runserver`) keeps no database connection once
a request is answered: it serves each request on a new thread, and with a CONN_MAX_AGE each of those
threads would leave its connection open (30 parallel requests once left ~90 idle ones and exhausted
PostgreSQL). settings.py sets CONN_MAX_AGE to 0 under runserver."""

import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from motcua.core.tests.processes import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = 30
# The server's own connections that may remain (none is expected; a few leave room for a check
# Django may run): far below one per request.
AT_MOST = 3


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _server_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        return response.status


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_30_parallel_requests_to_runserver_leave_no_idle_connections(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "MOTCUA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_CONN_MAX_AGE", None)  # the default (60 s) is what runserver must not use
    log = (tmp_path / "runserver.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def answers() -> bool:
            try:
                return _get(f"{base}/thu-tuc/") == 200
            except OSError:
                return False

        assert _wait_until(answers, 60), (tmp_path / "runserver.log").read_text()
        with ThreadPoolExecutor(PARALLEL) as pool:
            statuses = list(pool.map(_get, [f"{base}/thu-tuc/?q=khai+sinh&n={i}" for i in range(PARALLEL)]))
        assert statuses == [200] * PARALLEL

        # A thread closes its connection as it finishes the response: give them a moment, no more.
        assert _wait_until(lambda: _server_connections() <= AT_MOST, 10), _server_connections()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
