"""Send to the national portal what is pending and the failed syncs now due (what the deferred tasks do
where the task backend cannot defer; ``--all`` tries every failed one now, e.g. after an outage)."""

from django.core.management.base import BaseCommand

from motcua.integrations.national import sync


class Command(BaseCommand):
    help = "Sync pending and due dossiers with the national portal."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Also the failed ones not yet due.")

    def handle(self, *args, all: bool, **options):
        tried = sync.sync_due(force=all)
        self.stdout.write(f"{tried} dossier(s) tried")
