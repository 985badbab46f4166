from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.signing import conf, serve, standin


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Run the remote-signing stand-in (VNPT SmartCA's shape): signs hashes with the keys under "
        "<dir>/remote/<user_id>/ once confirmed on its page. Demo and tests only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8791, help="0: any free port (printed).")
        parser.add_argument(
            "--dir", type=Path, default=None, help="Signing directory (default MOTCUA_SIGNING_DIR)."
        )
        parser.add_argument(
            "--expires-in", type=int, default=300, help="Seconds a request waits for the signer."
        )
        parser.add_argument("--verbose-requests", action="store_true")

    def handle(
        self,
        *args,
        host: str,
        port: int,
        dir: Path | None,
        expires_in: int,
        verbose_requests: bool,
        **options,
    ):
        sp_id, sp_password = conf.remote_credentials()
        app = standin.StandIn(
            dir or conf.signing_dir(), sp_id=sp_id, sp_password=sp_password, expires_in=expires_in
        )
        serve.serve(app, host=host, port=port, name="Remote-signing stand-in", verbose=verbose_requests)
