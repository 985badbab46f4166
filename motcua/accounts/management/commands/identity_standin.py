"""Run the national identity's OpenID Connect stand-in (motcua.accounts.identity.standin) as its own
process.

    manage.py identity_standin --port 8795 [--host 127.0.0.1] [--url http://127.0.0.1:8795]

Its client is this site's (MOTCUA_VNEID_CLIENT_ID and MOTCUA_VNEID_CLIENT_SECRET); its issuer is
``--url`` (default http://HOST:PORT, the port the system chose with ``--port 0``), which must be the
site's MOTCUA_VNEID_ISSUER. It prints ``Listening on URL`` once it accepts connections.
"""

import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.identity.standin import IdentityStandin


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args):
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class Command(BaseCommand):
    help = "Run the VNeID-style OpenID Connect provider's stand-in until interrupted."
    # A stand-in is another system, not the site: it never touches the site's database (whose checks
    # would need it to exist on PostgreSQL).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--url", default="", help="Its issuer address (default http://HOST:PORT).")
        parser.add_argument("--verbose", action="store_true", help="A line per request.")

    def handle(self, *args, host: str, port: int, url: str, verbose: bool, **options):
        app = IdentityStandin(
            client_id=settings.MOTCUA_VNEID_CLIENT_ID, client_secret=settings.MOTCUA_VNEID_CLIENT_SECRET
        )
        try:
            server = make_server(host, port, app, server_class=_Server, handler_class=_Handler)
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from None
        server.verbose = verbose  # type: ignore[attr-defined]
        app.issuer = (url or f"http://{host}:{server.server_address[1]}").rstrip("/")
        self.stdout.write(f"Identity stand-in: Listening on {app.issuer}")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            sys.stdout.flush()
