"""Run the SMS gateway's local stand-in (motcua.notifications.sms.standin) as its own process.

    manage.py sms_standin --port 8792

It takes the brandname, user name and password of this site's settings (MOTCUA_SMS_BRANDNAME,
MOTCUA_SMS_USERNAME, MOTCUA_SMS_PASSWORD). ``--port 0`` listens on a free port; the line
"Listening on http://HOST:PORT" says which.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.notifications.sms.standin import SmsStandin
from motcua.payments.standins import serve


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Run the SMS gateway's stand-in (brandname and LGSP shapes) with its phone page until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8792, help="0: any free port (printed).")
        parser.add_argument("--quiet", action="store_true", help="No line per request.")

    def handle(self, *args, host: str, port: int, quiet: bool, **options):
        app = SmsStandin(
            brandname=settings.MOTCUA_SMS_BRANDNAME,
            username=settings.MOTCUA_SMS_USERNAME,
            password=settings.MOTCUA_SMS_PASSWORD,
        )
        try:
            server = serve(app, host, port, quiet=quiet)
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from None
        self.stdout.write(f"SMS stand-in; the phone page is on http://{host}:{server.server_port}/")
        self.stdout.write(f"Listening on http://{host}:{server.server_port}")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
