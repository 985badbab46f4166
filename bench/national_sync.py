"""The national portal sync (motcua.integrations, issue 13, docs/decisions/0011) on PostgreSQL, against the
stand-in portal run as its own process (``manage.py national_standin``, on a free port):

1. **Sync out**: ``--dossiers N`` dossiers are submitted (``services.submit_new``, procedure 1.014632,
   untimed); their N events are delivered by the relay (``events.relay``, what ``relay_events`` runs:
   each marks the dossier pending and queues its task in the database queue), then ``--workers``
   threads do what the task worker does, ``sync.sync`` of each pending dossier (a claim in a short
   transaction, ``DongBoHoSoMC`` and ``CapNhatTienDoHoSoMC`` over HTTP with no transaction open, the
   record in another). Figures: events relayed per second, dossiers synced (events delivered to the
   portal) per second, and end to end.
2. **Cost on a submission**: ``--rounds`` submissions with the sync on (the portal's address set) and
   off, alternately, timed around ``services.submit_new``; p50 and p95 of each and the difference of the
   p50s (target < 1 ms: the sync rides the outbox, so the submission only writes what it writes anyway).
3. **Sync in**: ``--inbound M`` dossiers submitted on the stand-in (``POST /api/nop-ho-so``, one 1 KB
   PDF each, untimed), then taken by ``inbound.receive`` (list, fetch the file, the row and the dossier
   in one transaction, acknowledge) until none waits: dossiers taken per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_national \\
        .venv/bin/python bench/national_sync.py [--dossiers 300] [--workers 4] [--rounds 300] [--inbound 200]

Dossiers, files and rows it makes stay in the bench database (files under a temporary MOTCUA_VAR_DIR,
removed at the end). A benchmark, not a test: it prints figures and exits 0 (2 on a wrong database).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import REPO, ensure_citizens, figures, load_average, percentile, prepare_database, setup_django

PROCEDURE = "1.014632"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n" + b"%" * 960 + b"\n%%EOF\n"


class Portal:
    """The stand-in national portal in its own process."""

    def __init__(self, data: Path):
        env = {**os.environ, "DJANGO_DEBUG": "1", "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, str(REPO / "manage.py"), "national_standin", "--quiet", "--port", "0"]
        command += ["--data", str(data), "--catalogue", str(data.parent / "no-catalogue.jsonl.gz")]
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "Listening on " in line:
                self.url = line.split("Listening on ", 1)[1].strip()
                return
        raise RuntimeError("the stand-in did not start")

    def post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--inbound", type=int, default=200)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="motcua-bench-national-"))
    os.environ["MOTCUA_VAR_DIR"] = str(var)
    os.environ["MOTCUA_EVENT_DELIVERY"] = "outbox"
    # The stand-in (started with DEBUG on) and this process (DEBUG off) share the adapter's credentials.
    os.environ.setdefault("MOTCUA_NATIONAL_PORTAL_PASSWORD", "bench-" + os.urandom(6).hex())
    connection = setup_django()
    prepare_database()
    import logging

    logging.getLogger("motcua.integrations").setLevel(logging.WARNING)
    from django.conf import settings
    from django.db import close_old_connections

    from motcua.accounts.models import User
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers import events, services
    from motcua.dossiers.models import OutboxEvent
    from motcua.integrations.constants import SyncState
    from motcua.integrations.models import InboundDossier, NationalSync
    from motcua.integrations.national import client as client_module
    from motcua.integrations.national import inbound, sync

    portal = Portal(var / "portal.sqlite3")
    try:
        print(f"National portal sync, {time.strftime('%Y-%m-%d %H:%M')}, load average {load_average()}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            print(f"  database {connection.settings_dict['NAME']}: {cursor.fetchone()[0].split(',')[0]}")
        version = ProcedureVersion.objects.get(procedure__code=PROCEDURE, is_current=True)
        citizens = list(User.objects.filter(username__in=ensure_citizens(20)))
        from motcua.agencies.models import AdministrativeUnit

        unit = AdministrativeUnit.objects.current().filter(parent__code="08").order_by("code").first()
        # The form of 1.014632 as bench/dossiers_submit.py fills it.
        form = {
            "applicant_full_name": "Nguyễn Văn An",
            "applicant_id_number": "008090000123",
            "applicant_address": {"unit": unit.code if unit else "", "detail": "Số 1, tổ 2"},
            "confirmation_case": "Điều kiện về nhà ở (chưa có nhà ở thuộc sở hữu)",
            "household_member_count": "3",
        }

        def submit(i: int):
            return services.submit_new(
                version=version, applicant=citizens[i % len(citizens)], form_data=form, declaration=True
            )

        try:
            submit(0)
        except Exception as exc:  # a demo catalogue change: say which field
            print(f"cannot submit {PROCEDURE}: {exc} {getattr(exc, 'errors', '')}", file=sys.stderr)
            raise

        # 1. Sync out ------------------------------------------------------------------------------
        settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        client_module._clients.clear()
        while events.relay(batch=500):  # what earlier runs left
            pass
        NationalSync.objects.filter(state=SyncState.PENDING).update(state=SyncState.SYNCED)
        for i in range(args.dossiers):
            submit(i)
        waiting = OutboxEvent.objects.count()
        start = time.perf_counter()
        relayed = 0
        while taken := events.relay(batch=100):
            relayed += taken
        relay_seconds = time.perf_counter() - start
        pending = list(
            NationalSync.objects.filter(state=SyncState.PENDING)
            .order_by("dossier_id")
            .values_list("dossier_id", flat=True)
        )
        lanes = [pending[i :: args.workers] for i in range(args.workers)]
        failures: list[str] = []

        def work(ids):
            try:
                for pk in ids:
                    if sync.sync(pk) != SyncState.SYNCED:
                        failures.append(str(pk))
            finally:
                close_old_connections()

        start = time.perf_counter()
        threads = [threading.Thread(target=work, args=(lane,)) for lane in lanes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sync_seconds = time.perf_counter() - start
        print(f"1. Sync out: {args.dossiers} dossiers submitted, {waiting} events in the outbox")
        print(
            f"  relayed (pending mark + task row)   {relayed / relay_seconds:8.1f} events/s"
            f" ({relayed} in {relay_seconds:.2f} s)"
        )
        print(
            f"  synced by {args.workers} workers (2 HTTP calls each)"
            f" {len(pending) / sync_seconds:8.1f} dossiers/s "
            f"({len(pending)} in {sync_seconds:.2f} s, {len(failures)} not synced)"
        )
        print(
            "  end to end                          "
            f"{len(pending) / (relay_seconds + sync_seconds):8.1f} events/s"
        )

        # 2. Cost on a submission -----------------------------------------------------------------
        timings: dict[str, list[float]] = {"on": [], "off": []}
        for i in range(args.rounds * 2):
            mode = "on" if i % 2 == 0 else "off"
            settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url if mode == "on" else ""
            start = time.perf_counter()
            submit(i)
            timings[mode].append((time.perf_counter() - start) * 1000)
        settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        on, off = sorted(timings["on"]), sorted(timings["off"])
        print(f"2. Submission (services.submit_new), sync on and off alternately, {args.rounds} each")
        print(f"  sync on   {figures(on)}")
        print(f"  sync off  {figures(off)}")
        print(f"  extra cost at p50: {percentile(on, 50) - percentile(off, 50):+.3f} ms (target < 1 ms)")
        while events.relay(batch=500):  # their events: not measured, delivered so the outbox is empty
            pass

        # 3. Sync in -------------------------------------------------------------------------------
        # The stand-in's codes restart with its data file: rows of earlier runs would make them duplicates.
        InboundDossier.objects.all().delete()
        agency = version.agencies.filter(receives_dossiers=True).order_by("code").first()
        document = base64.b64encode(PDF).decode()
        for i in range(args.inbound):
            portal.post(
                "/api/nop-ho-so",
                {
                    "MaTTHC": PROCEDURE,
                    "MaDonViTiepNhan": agency.code if agency else "",
                    "ChuHoSo": f"Công dân Cổng {i:05d}",
                    "SoDinhDanh": f"0010{i:08d}",
                    "DuLieuToKhai": form,
                    "TaiLieuNop": [{"TenTepDinhKem": "to-khai.pdf", "NoiDung": document}],
                },
            )
        counts: dict[str, int] = {}
        start = time.perf_counter()
        while True:
            got = inbound.receive(limit=50)
            for key, value in got.items():
                counts[key] = counts.get(key, 0) + value
            if not (got[inbound.TAKEN] or got[inbound.FAILED]):
                break
        inbound_seconds = time.perf_counter() - start
        taken = counts.get(inbound.TAKEN, 0)
        print(f"3. Sync in: {args.inbound} dossiers submitted on the portal (one 1 KB PDF each)")
        print(
            f"  taken (list, fetch, row + dossier, acknowledge) {taken / inbound_seconds:8.1f} dossiers/s "
            f"({taken} in {inbound_seconds:.2f} s; {dict(sorted(counts.items()))})"
        )
        print(f"  load average after: {load_average()}")
    finally:
        portal.stop()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
