"""Fixtures shared by every app's tests: a small organisation and a complaint factory."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from django.utils import timezone

from complaintdesk.complaints.models import Category
from complaintdesk.org.models import Department, DepartmentKind, Role, User

# A Tuesday inside the calendar, away from holidays: tests pin the clock here.
T0 = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0))


@dataclass
class Org:
    service: Department
    engineering: Department
    aftersales: Department
    agent: User
    agent2: User
    handler: User
    handler_b: User
    other_handler: User
    supervisor: User
    manager: User
    admin: User
    category: Category
    category2: Category


def _user(username, role, department) -> User:
    return User.objects.create_user(username=username, password="pw-12345678", role=role, department=department,
                                    display_name=username)


@pytest.fixture
def org(db) -> Org:
    service = Department.objects.create(code="service", name="客服中心", kind=DepartmentKind.SERVICE_CENTRE)
    engineering = Department.objects.create(code="engineering", name="工程维修部", kind=DepartmentKind.HANDLING)
    aftersales = Department.objects.create(code="aftersales", name="售后服务部", kind=DepartmentKind.HANDLING)
    # Every member of staff has a department: without one a user sees nothing (issue 10).
    management = Department.objects.create(code="management", name="总经理办公室", kind=DepartmentKind.MANAGEMENT)
    category = Category.objects.create(code="repair_quality", name="维修质量", default_department=engineering)
    category2 = Category.objects.create(code="service_attitude", name="服务态度", default_department=aftersales)
    return Org(
        service=service,
        engineering=engineering,
        aftersales=aftersales,
        agent=_user("agent", Role.AGENT, service),
        agent2=_user("agent2", Role.AGENT, service),
        handler=_user("handler", Role.HANDLER, engineering),
        handler_b=_user("handler_b", Role.HANDLER, engineering),
        other_handler=_user("other", Role.HANDLER, aftersales),
        supervisor=_user("supervisor", Role.SUPERVISOR, service),
        manager=_user("manager", Role.MANAGER, management),
        admin=_user("admin", Role.ADMIN, service),
        category=category,
        category2=category2,
    )


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language; a request in English must not leak into the next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def tallies_agree_with_the_complaints(request):
    """After every test that writes complaints, the reports' running tallies must equal a recount
    from the complaints: a writer that changes complaints without ``core.changes`` fails here.
    Tests that write rows behind the writers' back on purpose mark themselves ``tally_unchecked``."""
    wants_db = {"db", "transactional_db", "django_db_setup"} & set(request.fixturenames) or \
        request.node.get_closest_marker("django_db")
    if not wants_db or request.node.get_closest_marker("tally_unchecked") or os.environ.get("TALLY_NET") == "off":
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    yield
    from complaintdesk.reports import tally

    wrong = tally.check_all()
    assert not wrong, f"running tallies differ from a recount for {wrong[:5]}"


@pytest.fixture
def pinned_clock():
    from complaintdesk.core import clock

    with clock.frozen(T0):
        yield clock


# One Chromium for the whole run: Playwright's sync API allows one running instance per thread, so
# every app's browser tests (web, portal) share this session fixture.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls in test bodies are
    # still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield instance
    instance.close()
    playwright.stop()
