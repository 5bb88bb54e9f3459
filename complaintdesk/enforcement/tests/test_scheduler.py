import pytest

from complaintdesk.enforcement.sweeps import SWEEPS
from complaintdesk.sla import schedule
from complaintdesk.sla.models import SweepRun
from complaintdesk.sla.scheduler import Scheduler, task_for


def test_every_sweep_is_scheduled_once_and_beat_reads_the_same_table():
    assert set(schedule.SWEEP_INTERVALS) == set(SWEEPS)
    from config.celery import app

    assert app.conf.beat_schedule == schedule.beat_schedule()
    assert {job.name for job in schedule.PERIODIC} == set(app.conf.beat_schedule)
    assert all(task_for(job).name == job.task for job in schedule.PERIODIC)


def test_celery_uses_the_broker_from_settings(settings):
    from config.celery import app

    assert app.conf.task_always_eager is True  # no broker in tests: tasks run in-process
    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True


@pytest.mark.django_db
def test_scheduler_runs_due_jobs_and_each_run_is_recorded():
    scheduler = Scheduler(tick=0.01)
    ran = scheduler.run_once()
    assert set(ran) == {job.name for job in schedule.PERIODIC}
    assert scheduler.run_once() == []  # nothing due again until its interval passes
    assert SweepRun.objects.count() == len(SWEEPS)
    assert not SweepRun.objects.filter(errors__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_scheduler_thread_starts_and_stops():
    scheduler = Scheduler(tick=0.05)
    thread = scheduler.start()
    import time

    deadline = time.monotonic() + 20
    while SweepRun.objects.count() < len(SWEEPS) and time.monotonic() < deadline:
        time.sleep(0.1)
    scheduler.stop()
    assert not thread.is_alive()
    assert SweepRun.objects.count() >= len(SWEEPS)
