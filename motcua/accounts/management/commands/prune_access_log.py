import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts import access_log
from motcua.core import audit, clock


class Command(BaseCommand):
    help = (
        "Delete personal-data access log rows older than --days (default MOTCUA_ACCESS_LOG_DAYS): the "
        "retention period the province sets. Run it daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None = None, **options):
        days = settings.MOTCUA_ACCESS_LOG_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days: give 1 or more days.")
        cutoff = clock.now() - datetime.timedelta(days=days)
        deleted = access_log.prune(older_than=cutoff)
        audit.record("access_log.pruned", summary=f"{deleted} rows before {cutoff:%Y-%m-%d}", days=days)
        self.stdout.write(f"Deleted {deleted} access log rows older than {days} days.")
