"""Run the national document exchange backbone's stand-in (motcua.exchange.standin) as its own process.

manage.py exchange_standin --port 8793 [--secret S]
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.exchange.standin import Backbone
from motcua.payments.standins import serve


class Command(BaseCommand):
    help = "Run the document exchange backbone's stand-in until interrupted."
    # A stand-in is another system, not the site: it never touches the site's database (whose checks
    # would need it to exist on PostgreSQL).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--secret", default="", help="The shared secret (default: this site's setting).")
        parser.add_argument("--quiet", action="store_true", help="No line per request.")

    def handle(self, *args, host: str, port: int, secret: str, quiet: bool, **options):
        app = Backbone(secret=secret or settings.MOTCUA_EXCHANGE_BACKBONE_SECRET)
        try:
            server = serve(app, host, port, quiet=quiet)
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from None
        self.stdout.write(f"Document exchange backbone stand-in on http://{host}:{port}/")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
