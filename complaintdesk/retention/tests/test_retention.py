"""Archive and retention: closed cases archive after the policy's days (through the archive action,
by the system, idempotently); personal data goes after the retention period while the figures stay
the same; every run is logged; both jobs are on the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import Attachment, Complaint
from complaintdesk.complaints.tests.factories import make
from complaintdesk.core import clock
from complaintdesk.customers.models import Customer, CustomerPhone
from complaintdesk.retention import services as retention
from complaintdesk.retention.models import RetentionPolicy, RetentionRun, RunKind
from complaintdesk.sla.schedule import PERIODIC

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def policy(db):
    return RetentionPolicy.objects.create(name="标准", archive_after_days=30, anonymise_after_days=365)


def _closed(org, phone: str, **kwargs):
    return make(org, Status.CLOSED, phone=phone, **kwargs)


def test_closed_cases_archive_after_the_policy_days_by_the_system(org, pinned_clock, policy):
    old = _closed(org, "13900000001")
    pinned_clock.advance(20 * DAY)
    recent = _closed(org, "13900000002")
    pinned_clock.advance(11 * DAY)  # old: closed 31 days ago; recent: 11 days ago
    run = retention.archive_closed()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.ARCHIVED and old.archived_at == clock.now()
    assert recent.status == Status.CLOSED
    event = old.events.get(type=EventType.ARCHIVED)
    assert event.actor is None and event.from_status == Status.CLOSED and event.to_status == Status.ARCHIVED
    assert (run.kind, run.count, run.policy, run.days) == (RunKind.ARCHIVE, 1, "标准", 30)
    assert run.cutoff == clock.now() - 30 * DAY
    # Idempotent: a second run finds nothing and writes no second event.
    again = retention.archive_closed()
    assert again.count == 0 and old.events.filter(type=EventType.ARCHIVED).count() == 1
    assert RetentionRun.objects.count() == 2


def test_a_case_reopened_after_selection_is_skipped(org, pinned_clock, policy, monkeypatch):
    case = _closed(org, "13900000003")
    pinned_clock.advance(40 * DAY)
    real = services.complaint_archive

    def reopen_first(*, complaint, actor):
        services.complaint_reopen(complaint=complaint, actor=org.supervisor, reason="客户再次来电")
        return real(complaint=complaint, actor=actor)

    monkeypatch.setattr(services, "complaint_archive", reopen_first)
    run = retention.archive_closed()
    case.refresh_from_db()
    assert run.count == 0 and run.skipped == 1 and case.status != Status.ARCHIVED


def test_policy_days_come_from_settings_without_a_policy(org, pinned_clock, settings):
    settings.COMPLAINTDESK_ARCHIVE_AFTER_DAYS = 5
    case = _closed(org, "13900000004")
    pinned_clock.advance(6 * DAY)
    run = retention.archive_closed()
    case.refresh_from_db()
    assert run.policy == "settings" and run.days == 5 and case.status == Status.ARCHIVED


def test_personal_data_is_removed_after_the_period_and_figures_stay(
    org, pinned_clock, policy, django_capture_on_commit_callbacks
):
    expired = make(org, Status.AWAITING_VISIT, phone="13900000005", customer_name="李雷")
    services.complaint_add_attachment(complaint=expired, actor=org.agent, upload=SimpleUploadedFile("现场.txt", b"hello"))
    services.complaint_record_visit(complaint=expired, actor=org.agent, outcome="satisfied", satisfaction=5)
    other = _closed(org, "13900000006", customer_name="韩梅梅", category=org.category2)
    pinned_clock.advance(200 * DAY)
    # The same customer as `other` comes back; that newer case keeps the customer's data alive.
    newer = _closed(org, "13900000006", customer_name="韩梅梅")
    pinned_clock.advance(170 * DAY)  # expired & other closed 370 days ago, newer 170 days ago

    def figures():
        qs = Complaint.objects.all()
        return (
            sorted(qs.values_list("category__code", "department__code", "channel").annotate(n=Count("id"))),
            qs.count(), Customer.objects.count(),
        )

    before = figures()
    file_names = list(Attachment.objects.values_list("file", flat=True))
    storage = Attachment._meta.get_field("file").storage
    assert all(storage.exists(name) for name in file_names)

    with django_capture_on_commit_callbacks(execute=True):  # files go only once the rows are committed
        run = retention.anonymise_expired()
    assert figures() == before
    assert (run.kind, run.count, run.days) == (RunKind.ANONYMISE, 2, 365)
    expired.refresh_from_db()
    other.refresh_from_db()
    newer.refresh_from_db()
    assert expired.contact_phone == "" and expired.address == "" and expired.anonymised_at == clock.now()
    assert expired.description  # the customer's words stay for analysis
    assert expired.customer.name == "（已匿名）" and not CustomerPhone.objects.filter(number="13900000005").exists()
    # The customer of `other` still has a case within the period: the customer keeps name and phone.
    assert other.contact_phone == "" and other.customer.name == "韩梅梅"
    assert CustomerPhone.objects.filter(number="13900000006").exists()
    assert newer.contact_phone == "13900000006" and newer.anonymised_at is None
    for name in file_names:
        assert not storage.exists(name)
    assert not Attachment.objects.exclude(file="").filter(complaint=expired).exists()
    event = expired.events.get(type=EventType.ANONYMISED)
    assert event.after["policy"] == "标准" and "contact_phone" in event.after["fields"]
    # Idempotent.
    assert retention.anonymise_expired().count == 0
    assert expired.events.filter(type=EventType.ANONYMISED).count() == 1


def test_open_cases_are_never_anonymised(org, pinned_clock, policy):
    case = make(org, Status.HANDLING, phone="13900000007")
    pinned_clock.advance(800 * DAY)
    assert retention.anonymise_expired().count == 0
    case.refresh_from_db()
    assert case.contact_phone == "13900000007"


def test_both_jobs_are_scheduled():
    tasks = {job.task: job.every_seconds for job in PERIODIC}
    assert tasks["complaintdesk.retention.tasks.archive_closed"] == 3600
    assert tasks["complaintdesk.retention.tasks.anonymise_expired"] == 24 * 3600
    from complaintdesk.retention import tasks as module

    assert module.archive_closed.name == "complaintdesk.retention.tasks.archive_closed"
