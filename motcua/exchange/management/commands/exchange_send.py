"""Send the outgoing edXML packages that are queued, and the failed ones whose next attempt is due
(what the deferred tasks do where the task backend cannot defer; cron it every minute)."""

from django.core.management.base import BaseCommand

from motcua.exchange import services


class Command(BaseCommand):
    help = "Send the queued and due edXML packages."

    def handle(self, *args, **options):
        tried = services.deliver_due()
        self.stdout.write(f"{tried} package(s) tried.")
