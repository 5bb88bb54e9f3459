import signal

from django.core.management.base import BaseCommand

from complaintdesk.sla.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run the periodic sweeps in this process (the one-machine setup; production uses Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=15.0, help="seconds between checks (default 15)")
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, tick=15.0, once=False, **options):
        scheduler = Scheduler(tick=tick)
        if once:
            for name in scheduler.run_once():
                self.stdout.write(f"ran {name}")
            return
        signal.signal(signal.SIGTERM, lambda *_: scheduler.stop_event.set())
        try:
            scheduler.loop()
        except KeyboardInterrupt:
            scheduler.stop()
