from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.signing import conf, demo


class Command(BaseCommand):
    help = (
        "Demo only: create a test CA, a time-stamp authority certificate and the remote signer's key under "
        "MOTCUA_SIGNING_DIR, and a certificate (and seal) for every leader and agency. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Where to write (default MOTCUA_SIGNING_DIR)."
        )
        parser.add_argument(
            "--files-only", action="store_true", help="Only the CA, TSA and stand-in files; no database rows."
        )

    def handle(self, *args, dir: Path | None = None, files_only: bool = False, **options):
        directory = dir or conf.signing_dir()
        material = demo.ensure_authorities(directory)
        nss = demo.ensure_nss_database(material)
        self.stdout.write(f"Test CA: {material.root_pem} (trusted by the verification page).")
        if nss is not None:
            self.stdout.write(f"NSS database for pdfsig: pdfsig -nssdir sql:{nss} <file.pdf>")
        if not files_only:
            demo.ensure_certificates(material, progress=self.stdout.write)
