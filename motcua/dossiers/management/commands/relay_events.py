import signal

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import events


class Command(BaseCommand):
    help = (
        "Deliver committed dossier events (the outbox) to their subscribers: emails to applicants... "
        "Run it beside the task worker; several may run (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--batch", type=int, default=100, help="events per transaction")
        parser.add_argument("--once", action="store_true", help="deliver what is due now, then stop")

    def handle(self, *args, interval: float, batch: int, once: bool, **options):
        if events.delivery() != events.OUTBOX:
            raise CommandError(
                f"MOTCUA_EVENT_DELIVERY is {events.delivery()!r}: events are not written to the outbox."
            )
        if interval <= 0 or batch <= 0:
            raise CommandError("--interval and --batch must be positive.")
        if once:
            total = 0
            while (taken := events.relay(batch)) > 0:
                total += taken
                if taken < batch:
                    break
            self.stdout.write(f"{total} events taken.")
            return
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Relaying dossier events every {interval:g} s when idle (Ctrl+C stops).")
        events.relay_forever(interval=interval, batch=batch, running=lambda: not stopping)
