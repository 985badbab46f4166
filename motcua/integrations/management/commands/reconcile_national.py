"""Compare the dossiers changed on a day with what the national portal holds (``TraCuuHoSo``) and send
again what it lacks or holds differently; prints a line per dossier found missing or different.

    manage.py reconcile_national [--day YYYY-MM-DD]   (default: yesterday, Vietnam time)
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.integrations.national import reconcile
from motcua.integrations.national.client import configured
from motcua.integrations.national.mapping import VIETNAM


class Command(BaseCommand):
    help = "Reconcile a day's dossiers with the national portal and re-send what differs."

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="YYYY-MM-DD (default: yesterday).")

    def handle(self, *args, day: str, **options):
        if not configured():
            raise CommandError("MOTCUA_NATIONAL_PORTAL_URL is not set.")
        if day:
            try:
                when = datetime.date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--day must be YYYY-MM-DD, not {day!r}") from None
        else:
            when = timezone.now().astimezone(VIETNAM).date() - datetime.timedelta(days=1)
        findings = reconcile.reconcile(when)
        for finding in findings:
            if finding.outcome != reconcile.SAME:
                fields = f" ({', '.join(finding.fields)})" if finding.fields else ""
                self.stdout.write(
                    f"{finding.code}: {finding.outcome}{fields} -> {finding.state_after or '-'}"
                )
        same = sum(1 for f in findings if f.outcome == reconcile.SAME)
        self.stdout.write(f"{when}: {len(findings)} dossier(s) checked, {same} as the portal holds them")
