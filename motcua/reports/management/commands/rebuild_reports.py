from django.core.management.base import BaseCommand

from motcua.reports import facts


class Command(BaseCommand):
    help = (
        "Rebuild the reports' aggregates (facts per dossier, daily and monthly sums) from every dossier, "
        "in one transaction. Xây dựng lại số liệu báo cáo từ toàn bộ hồ sơ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=5000, help="dossiers read per query (by primary key)"
        )

    def handle(self, *args, batch: int, **options):
        counts = facts.rebuild(batch=batch, progress=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            f"{counts['dossiers']} dossiers, {counts['days']} daily rows, {counts['months']} monthly rows."
        )
