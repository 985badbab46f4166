"""Benchmark of the personal-data access log and the API clients' authentication (issue 13 §5) on
PostgreSQL, in-process:

- the row an officer's or a client's read writes (``accounts.access_log.record_read``: one INSERT), for
  one dossier and for a list of 25;
- finding the caller of a bearer token: a client's (``accounts.clients.client_for_token``) beside a
  person's (``accounts.services.user_for_token``);
- the supervisor's search by identity number and by code over the rows written (``access_log.search``,
  first page of 50).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_clients .venv/bin/python bench/access_log.py

A benchmark, not a test: it prints figures and exits 0.
"""

import argparse
import time
from types import SimpleNamespace

from common import database_description, figures, load_average, prepare_database, setup_django


def timed(call, n: int) -> list[float]:
    values = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        values.append((time.perf_counter() - started) * 1000)
    return sorted(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--allow-sqlite", action="store_true")
    args = parser.parse_args()
    setup_django(allow_sqlite=args.allow_sqlite)
    prepare_database()

    from motcua.accounts import access_log, clients
    from motcua.accounts.constants import ClientScope
    from motcua.accounts.models import AccessLogEntry, ApiClient, User
    from motcua.accounts.services import issue_token, user_for_token

    officer = User.objects.get(username="reception")
    ApiClient.objects.filter(client_id="bench-client").delete()
    new = clients.create_client(
        name="bench", client_id="bench-client", scopes=[ClientScope.DOSSIERS_READ], province_wide=True
    )
    client_token = clients.issue_token("bench-client", new.secret)[0]
    user_token = issue_token(officer)[0]
    request = SimpleNamespace(
        user=officer, path="/can-bo/ho-so/x/", META={"REMOTE_ADDR": "127.0.0.1"}, headers={}
    )
    one = [
        SimpleNamespace(
            code="000.00.12.H59-261202-0001", applicant_identity="008090000123", subject_identity=""
        )
    ]
    page = [
        SimpleNamespace(
            code=f"000.00.12.H59-261202-{i:04d}", applicant_identity=f"0080900{i:05d}", subject_identity=""
        )
        for i in range(25)
    ]
    before = AccessLogEntry.objects.count()

    print(f"Database: {database_description()}; load average {load_average()}; n={args.n}")
    single = timed(lambda: access_log.record_read(request, purpose="bench", dossiers=one), args.n)
    print(f"  record_read, one dossier (1 INSERT):     {figures(single)}")
    listed = timed(
        lambda: access_log.record_read(request, purpose="bench", object_type="dossier_list", dossiers=page),
        args.n,
    )
    print(f"  record_read, a list of 25 (1 INSERT):    {figures(listed)}")
    by_client = timed(lambda: clients.client_for_token(client_token), args.n)
    by_user = timed(lambda: user_for_token(user_token), args.n)
    print(f"  client_for_token (a client's token):     {figures(by_client)}")
    print(f"  user_for_token (a person's token):       {figures(by_user)}")
    rows = AccessLogEntry.objects.count()
    by_identity = timed(
        lambda: list(access_log.search(access_log.LogQuery(identity="008090000123"))[:50]), 50
    )
    by_code = timed(
        lambda: list(access_log.search(access_log.LogQuery(code="000.00.12.H59-261202-0007"))[:50]), 50
    )
    print(f"  search by identity, first 50 of {rows} rows: {figures(by_identity)}")
    print(f"  search by code, first 50 of {rows} rows:     {figures(by_code)}")
    AccessLogEntry.objects.filter(purpose="bench").delete()
    ApiClient.objects.filter(client_id="bench-client").delete()
    print(f"  (the {rows - before} bench rows and the bench client were deleted)")


if __name__ == "__main__":
    main()
