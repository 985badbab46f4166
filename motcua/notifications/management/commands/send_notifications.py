"""Send the queued messages and retry the failed ones that are due.

The task worker does this by itself where the task backend defers tasks (django-tasks-db: each
failure queues its next attempt); run this from cron where it cannot, or to push a backlog after
fixing a gateway's settings.
"""

from django.core.management.base import BaseCommand

from motcua.notifications import services


class Command(BaseCommand):
    help = "Send queued notifications and retry failed ones whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many messages.")

    def handle(self, *args, limit: int, **options):
        tried = services.send_due(limit=limit)
        self.stdout.write(f"{tried} message(s) tried.")
