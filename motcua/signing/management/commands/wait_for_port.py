import socket
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Wait until each HOST:PORT accepts connections (make demo: the stand-ins before the worker)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addresses", nargs="+", help="HOST:PORT")
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, addresses: list[str], timeout: float, **options):
        deadline = time.monotonic() + timeout
        for address in addresses:
            host, _sep, port = address.rpartition(":")
            while True:
                try:
                    with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise CommandError(f"Nothing listens on {address} after {timeout:.0f} s.") from None
                    time.sleep(0.2)
