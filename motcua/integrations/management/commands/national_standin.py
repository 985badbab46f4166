"""Run the national public-service portal's local stand-in (motcua.integrations.national.standin).

    manage.py national_standin --port 8794 [--data /path/to/portal.sqlite3] [--catalogue FILE]

It takes the user name, password and unit code of this site's settings (MOTCUA_NATIONAL_PORTAL_USERNAME,
_PASSWORD, _MADONVI). ``--port 0`` listens on a free port; the line "Listening on http://HOST:PORT" says
which. What it receives is kept in ``--data`` (a file in a temporary directory by default): a restart on
the same file loses nothing. ``--catalogue`` is the national catalogue it serves (``LayDanhSachTTHC``,
``LayThuTuc``): the project's ``../shared/data/procedures-national.jsonl.gz`` by default, none when absent.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.national import standin_catalogue
from motcua.integrations.national.standin import NationalPortalStandin
from motcua.payments.standins import serve


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Run the national public-service portal's stand-in (DVCQG adapter shapes) until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8794, help="0: any free port (printed).")
        parser.add_argument(
            "--data", default="", help="SQLite file of what it holds (default: a temporary one)."
        )
        parser.add_argument(
            "--catalogue",
            default="",
            help="The national catalogue (JSON lines, gzip); default: shared procedures-national.jsonl.gz.",
        )
        parser.add_argument("--quiet", action="store_true", help="No line per request.")

    def handle(self, *args, host: str, port: int, data: str, catalogue: str, quiet: bool, **options):
        database = data or str(Path(tempfile.mkdtemp(prefix="motcua-national-")) / "portal.sqlite3")
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        app = NationalPortalStandin(
            username=settings.MOTCUA_NATIONAL_PORTAL_USERNAME,
            password=settings.MOTCUA_NATIONAL_PORTAL_PASSWORD,
            madonvi=settings.MOTCUA_NATIONAL_PORTAL_MADONVI,
            database=database,
            catalogue=standin_catalogue.load(catalogue or None),
        )
        try:
            server = serve(app, host, port, quiet=quiet)
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from None
        self.stdout.write(
            f"National portal stand-in, holding {database} and {len(app.catalogue)} procedures;"
            f" its page is http://{host}:{server.server_port}/"
        )
        self.stdout.write(f"Listening on http://{host}:{server.server_port}")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
