from django.core.management.base import BaseCommand

from motcua.agencies.services import import_units


class Command(BaseCommand):
    help = "Load the official administrative units (34 provinces, 3,321 communes) from vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="Also load the three-tier units in force until 30 June 2025, linked to their successors.",
        )

    def handle(self, *args, legacy: bool = False, **options):
        stats = import_units(legacy=legacy)
        counts = ", ".join(f"{kind}: {n}" for kind, n in sorted(stats.by_type.items()))
        self.stdout.write(
            f"Units: {stats.created} created, {stats.updated} updated, {stats.unchanged} unchanged "
            f"({counts}); successor links added: {stats.links_added}."
        )
