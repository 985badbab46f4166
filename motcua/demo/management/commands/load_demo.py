import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo.clients import seed_api_clients
from motcua.demo.dossiers import DEFAULT_COUNT
from motcua.demo.seed import DEMO_PASSWORD, USERS, load_demo


def client_secret_line(client, secret: str) -> str:
    return f"client_secret={secret}  scopes: {' '.join(client.scopes)} ({client.name})"


class Command(BaseCommand):
    help = "Load the demo province, agencies, users and catalogue (idempotent). Demo only: known passwords."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dossiers",
            type=int,
            default=DEFAULT_COUNT,
            help=f"How many demo dossiers to create (default {DEFAULT_COUNT}; 0 for none).",
        )

    def handle(self, *args, dossiers: int = DEFAULT_COUNT, **options):
        if dossiers < 0:
            raise CommandError("--dossiers: give 0 or more dossiers.")
        started = time.monotonic()
        counts = load_demo(dossiers=dossiers, progress=self.stdout.write)
        self.stdout.write(
            f"Demo: {counts['agencies']} agencies, {counts['users']} users, "
            f"{counts['procedures']} procedures "
            f"({counts['procedures_created']} new)."
        )
        self.stdout.write(f"Demo dossiers: {counts['dossiers']}.")
        self.stdout.write(f"Demo official documents: {counts['documents']} (new).")
        if counts["renders_queued"]:
            self.stdout.write(
                f"Queued {counts['renders_queued']} PDF notices and results for the task worker "
                "(manage.py db_worker); a document opened before it gets there is rendered at once."
            )
        self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for seed in USERS:
            note = f"; {seed.note}" if seed.note else ""
            self.stdout.write(f"  {seed.username:<12} {seed.full_name} ({seed.kind}{note})")
        self.stdout.write("")
        site = settings.MOTCUA_PUBLIC_URL.rstrip("/")
        self.stdout.write(
            f"Site: {site}/   Staff: {site}/can-bo/   Admin: {site}/quan-tri/   API: {site}/api/docs"
        )
        self.stdout.write("")
        self.stdout.write(
            f"Demo API clients (POST {site}/api/auth/client-token with grant_type=client_credentials; "
            "the secrets are shown only now, new ones at each load_demo):"
        )
        for client, secret in seed_api_clients():
            self.stdout.write(f"  {client.client_id:<14} {client_secret_line(client, secret)}")
