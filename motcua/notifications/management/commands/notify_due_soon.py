"""Tell officers, in the application, about the dossiers they hold that are about to be overdue.

Run it from cron (e.g. every hour): each dossier in processing due within --hours (default
MOTCUA_NOTIFY_DUE_SOON_HOURS) gives its holder one message per appointment, however often it runs.
"""

from django.core.management.base import BaseCommand

from motcua.notifications import services


class Command(BaseCommand):
    help = "In-app messages to the officers holding dossiers due soon (once per appointment)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="Due within this many hours.")

    def handle(self, *args, hours: int | None, **options):
        written = services.notify_due_soon(hours=hours)
        self.stdout.write(f"{written} message(s) written.")
