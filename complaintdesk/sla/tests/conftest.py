import datetime as dt

import chinese_calendar
import pytest

from complaintdesk.sla.calendar import SHANGHAI, BusinessCalendar


def official_days(first: int = 2024, last: int = 2026) -> dict[dt.date, bool]:
    day, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    days = {}
    while day <= end:
        days[day] = chinese_calendar.is_workday(day)
        day += dt.timedelta(days=1)
    return days


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def cal() -> BusinessCalendar:
    """2024–2026 by the State Council calendar, 24 h working days."""
    return BusinessCalendar(official_days())


@pytest.fixture(scope="session")
def office_cal() -> BusinessCalendar:
    """The same days with office hours 09:00–18:00."""
    return BusinessCalendar(official_days(), work_start=dt.time(9), work_end=dt.time(18))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The database calendar is cached per process; a rolled-back test must not leak its days."""
    from complaintdesk.sla.deadlines import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()


_seq = iter(range(1, 10**9))


@pytest.fixture
def row(org):
    """Write a complaint row directly in any state (sweep tests need rows that are *due*, with
    times set precisely; the end-to-end tests go through the real services instead)."""
    from django.db import transaction

    from complaintdesk.complaints.models import Complaint
    from complaintdesk.core import changes, clock
    from complaintdesk.customers.models import Customer

    customer = Customer.objects.create(name="王五", salutation="mr")

    def make(**fields):
        n = next(_seq)
        values = dict(
            number=f"TS-SLA-{n:06d}",
            customer=customer,
            contact_phone=f"1380000{n:04d}",
            received_at=clock.now(),
            first_owner=org.agent,
            subject="热水器不出热水",
            description="家里热水器坏了三天没人来修",
            category=org.category,
        )
        values.update(fields)
        with transaction.atomic():
            row = Complaint.objects.create(**values)
            changes.complaints_added([row.pk])  # as intake does: the reports' running tallies count it
        return row

    return make
