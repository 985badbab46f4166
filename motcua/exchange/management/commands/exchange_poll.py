"""Take the packages waiting for our agencies on the national exchange backbone (a pull transport).

manage.py exchange_poll [--forever --interval 5]
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from motcua.exchange import services
from motcua.exchange.constants import Transport
from motcua.exchange.transports import TransportError


class Command(BaseCommand):
    help = "Receive the packages waiting on the document exchange backbone."

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="Poll until interrupted.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls.")
        parser.add_argument("--transport", default=Transport.BACKBONE)

    def handle(self, *args, forever: bool, interval: float, transport: str, **options):
        while True:
            close_old_connections()
            try:
                counts = services.poll(transport=transport)
            except TransportError as exc:
                self.stderr.write(f"backbone: {exc}")
                counts = None
            if (counts and any(counts.values())) or not forever:
                self.stdout.write(f"{counts}")
                self.stdout.flush()
            if not forever:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
