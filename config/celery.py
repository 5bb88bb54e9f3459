"""The Celery app. Production: Redis broker (``CELERY_BROKER_URL``), ``celery -A config worker``
and ``celery -A config beat``. Without a broker, tasks run eagerly in-process and the periodic
jobs run on the in-process scheduler (``manage.py serve`` / ``manage.py run_scheduler``)."""

import os

from celery import Celery

from complaintdesk.sla.schedule import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.local")

app = Celery("complaintdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()
