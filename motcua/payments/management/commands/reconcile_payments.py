"""Reconcile a day of online payments with a gateway (đối soát giao dịch).

    manage.py reconcile_payments --date 2026-03-12 --gateway vnpay

Asks the gateway the status of every payment started through it that day (the site's local day) and
compares: a confirmation we missed (the gateway says paid, or failed, while we still wait) is applied,
once, as if it had arrived; what cannot be fixed here is reported (a payment the gateway does not know,
one we hold paid and it does not). One line per payment, then a summary. Exit status 1 when a mismatch
or an unanswered query is left for a person, 0 otherwise (for cron).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from motcua.payments import gateways, services


class Command(BaseCommand):
    help = "Compare a day of online payments with a gateway's status answers; fix and report mismatches."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="The day, YYYY-MM-DD (the site's local day).")
        parser.add_argument("--gateway", required=True, choices=gateways.registered())

    def handle(self, *args, date: str, gateway: str, **options):
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date: {date!r} is not a date YYYY-MM-DD") from None
        report = services.reconcile(day, gateway)
        for line in report.lines:
            self.stdout.write(
                f"{line.result:8} {line.reference}  {line.dossier or '-':28} ours={line.ours:9} "
                f"gateway={line.theirs:9} {line.note}"
            )
        self.stdout.write(
            f"{gateway} {report.day}: {len(report.lines)} payments, {report.count('agree')} agree, "
            f"{report.count('fixed')} fixed, {report.count('mismatch')} mismatches, "
            f"{report.count('error')} errors"
        )
        if report.count("mismatch") or report.count("error"):
            raise SystemExit(1)
