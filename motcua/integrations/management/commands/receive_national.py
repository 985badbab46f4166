"""Take the dossiers submitted on the national portal for the province (sync in, a pull): each lands in
its agency's reception queue, or is kept as a failed row with the reason (docs/decisions/0013).

    manage.py receive_national [--forever --interval 5] [--limit 50]
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from motcua.integrations.national import inbound
from motcua.integrations.national.client import NationalPortalError, configured


class Command(BaseCommand):
    help = "Take the dossiers submitted on the national portal into the reception queues."

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="Poll until interrupted.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls.")
        parser.add_argument("--limit", type=int, default=50, help="Dossiers asked for per call.")

    def handle(self, *args, forever: bool, interval: float, limit: int, **options):
        if not configured():
            raise CommandError("MOTCUA_NATIONAL_PORTAL_URL is not set.")
        first = True
        while True:
            if not first:  # a long-running loop: drop a connection the server closed meanwhile
                close_old_connections()
            first = False
            try:
                counts = inbound.receive(limit=max(1, limit))
            except NationalPortalError as exc:
                self.stderr.write(f"national portal: {exc}")
                counts = None
            if counts is not None and (not forever or any(counts.values())):
                self.stdout.write(
                    ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing waiting"
                )
                self.stdout.flush()
            # More may wait than one call lists: ask again at once.
            busy = counts is not None and sum(counts[k] for k in (inbound.TAKEN, inbound.FAILED)) >= limit
            if not forever:
                return
            if not busy:
                try:
                    time.sleep(interval)
                except KeyboardInterrupt:
                    return
