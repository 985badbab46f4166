from django.core.management.base import BaseCommand

from motcua.demo.seed import DEMO_PASSWORD, USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo province, agencies, users and catalogue (idempotent). Demo only: known passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            type=int,
            default=None,
            help="How many demo dossiers to create (default 320; 0 for none).",
        )

    def handle(self, *args, dossiers: int | None = None, **options):
        counts = load_demo(dossiers=dossiers)
        self.stdout.write(
            f"Demo: {counts['agencies']} agencies, {counts['users']} users, "
            f"{counts['procedures']} procedures "
            f"({counts['procedures_created']} new)."
        )
        self.stdout.write(f"Demo dossiers: {counts['dossiers']}.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for seed in USERS:
            self.stdout.write(f"  {seed.username:<12} {seed.full_name} ({seed.kind})")
        self.stdout.write("")
        self.stdout.write(
            "Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/quan-tri/   "
            "API: http://127.0.0.1:8000/api/docs"
        )
