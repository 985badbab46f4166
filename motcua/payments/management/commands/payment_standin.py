"""Run a payment gateway's local stand-in (motcua.payments.standins) as its own process.

    manage.py payment_standin --gateway vnpay --port 8102 [--site http://127.0.0.1:8000]

It speaks the gateway's protocol with the partner code and secret of this site's settings (the demo
ones by default), sends its confirmations to ``{site}/thanh-toan/ipn/<gateway>/`` and the payer back
to ``{site}/thanh-toan/ve/<gateway>/`` (``--site``: MOTCUA_PUBLIC_URL by default).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.payments.standins import serve
from motcua.payments.standins.national import NationalStandin
from motcua.payments.standins.vnpay import VnpayStandin

IPN_PATH = "/thanh-toan/ipn/{gateway}/"
RETURN_PATH = "/thanh-toan/ve/{gateway}/"


class Command(BaseCommand):
    help = "Run a payment gateway's local stand-in (national or vnpay) until interrupted."
    # The stand-in is the gateway, not the site: it never touches the site's database, whose checks
    # (a generated column asks PostgreSQL for its version) would need it to exist.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--gateway", choices=["national", "vnpay"], required=True)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--site", default="", help="Our site's address (default: MOTCUA_PUBLIC_URL).")
        parser.add_argument(
            "--url",
            default="",
            help="The stand-in's own address as the site reaches it (default http://HOST:PORT).",
        )
        parser.add_argument("--quiet", action="store_true", help="No line per request.")

    def handle(self, *args, gateway: str, host: str, port: int, site: str, url: str, quiet: bool, **options):
        site = (site or settings.MOTCUA_PUBLIC_URL).rstrip("/")
        ipn_url = site + IPN_PATH.format(gateway=gateway)
        if gateway == "vnpay":
            app = VnpayStandin(
                tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
                secret=settings.MOTCUA_VNPAY_SECRET,
                ipn_url=ipn_url,
                merchant=settings.MOTCUA_SITE_NAME,
            )
        else:
            app = NationalStandin(
                partner=settings.MOTCUA_NATIONAL_PAYMENT_PARTNER,
                secret=settings.MOTCUA_NATIONAL_PAYMENT_SECRET,
                base_url=url or f"http://{host}:{port}",
                ipn_url=ipn_url,
                return_url=site + RETURN_PATH.format(gateway=gateway),
            )
        try:
            server = serve(app, host, port, quiet=quiet)
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from None
        self.stdout.write(f"{gateway} payment stand-in on http://{host}:{port}/ (confirmations to {ipn_url})")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
