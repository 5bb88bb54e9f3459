"""One command for one machine: the web server plus the in-process scheduler.

``python manage.py serve [--host H --port P]`` runs Django's development server (``--gunicorn``
runs gunicorn instead) with the periodic sweeps on a background thread — no broker, no beat, no
worker. With ``CELERY_BROKER_URL`` set the scheduler is left to Celery beat unless
``--scheduler`` is given.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from complaintdesk.sla.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run the web server and the in-process scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--tick", type=float, default=15.0)
        parser.add_argument(
            "--gunicorn", action="store_true", help="serve with gunicorn instead of runserver"
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--scheduler", action="store_true", help="run the scheduler even with a broker set"
        )
        parser.add_argument("--no-scheduler", action="store_true")

    def handle(self, *args, host, port, tick, gunicorn, workers, scheduler, no_scheduler, **options):
        embedded = not no_scheduler and (scheduler or not settings.CELERY_BROKER_URL)
        # runserver's autoreloader runs this command twice (parent watcher + child server);
        # only the serving child starts the scheduler.
        in_reloader_parent = not gunicorn and os.environ.get("RUN_MAIN") != "true"
        if embedded and not in_reloader_parent:
            Scheduler(tick=tick).start()
            self.stdout.write(f"in-process scheduler running (tick {tick}s)")
        if gunicorn:
            if embedded:
                self.stdout.write("gunicorn workers do not run the scheduler; it runs in this process")
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"{host}:{port}", "-w", str(workers)]
            )
            try:
                proc.wait()
            except KeyboardInterrupt:
                proc.terminate()
            return
        call_command("runserver", f"{host}:{port}")
