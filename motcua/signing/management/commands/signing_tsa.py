from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.signing import conf, serve, tsa


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Run the local RFC 3161 time-stamp authority over HTTP (test CA's TSA certificate; demo and tests)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8790, help="0: any free port (printed).")
        parser.add_argument(
            "--dir", type=Path, default=None, help="Signing directory (default MOTCUA_SIGNING_DIR)."
        )
        parser.add_argument("--verbose-requests", action="store_true")

    def handle(self, *args, host: str, port: int, dir: Path | None, verbose_requests: bool, **options):
        directory = dir or conf.signing_dir()
        cert, key, chain = (
            directory / "tsa" / "tsa.pem",
            directory / "tsa" / "tsa.key.pem",
            directory / "tsa" / "chain.pem",
        )
        if not (cert.exists() and key.exists()):
            raise CommandError(
                f"No TSA certificate in {directory / 'tsa'}: run manage.py signing_demo_ca first."
            )
        stamper = tsa.load_stamper(cert, key, [chain] if chain.exists() else [])
        serve.serve(
            tsa.application(stamper),
            host=host,
            port=port,
            name="Time-stamp authority",
            verbose=verbose_requests,
        )
