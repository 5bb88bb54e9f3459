"""Schemathesis against the published schema, authenticated by token, on a bounded budget: no
response may be a 5xx or break the schema (status, content type, body).

The budget: ``FUZZ_EXAMPLES`` random examples per operation (8 by default, no shrinking) and a hard
limit of ``FUZZ_SECONDS`` (170) for the whole run, so CI stays under three minutes.
"""

from __future__ import annotations

import os
import signal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
SECONDS = int(os.environ.get("FUZZ_SECONDS", "170"))
# Random generation only (positive and negative data); the exhaustive "coverage" phase would send
# dozens of cases per operation and blow the CI budget.
CONFIG = SchemathesisConfig.from_dict({
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"mode": "all"},
})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(db):
    from config.wsgi import application

    # As Django's test client does: the request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def world(org, pinned_clock):
    """Real rows for the generated ids to land on: complaints in several states and their customer."""
    complaints = [receive(org), make(org, Status.HANDLING, phone="13900000001"),
                  make(org, Status.AWAITING_VISIT, phone="13900000002"), make(org, Status.CLOSED, phone="13900000003")]
    token = Token.objects.create(user=org.supervisor)
    return {"token": token.key, "complaints": [c.pk for c in complaints],
            "customers": sorted({c.customer_id for c in complaints})}


@pytest.fixture
def time_limit():
    def expired(signum, frame):
        raise TimeoutError(f"fuzzing took more than {SECONDS}s; lower FUZZ_EXAMPLES or find the slow operation")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_schema_violation(case, world, time_limit):
    ids = world["customers"] if case.path.startswith("/api/v1/customers/") else world["complaints"]
    for name in ("id", "pk"):
        value = (case.path_parameters or {}).get(name)
        if isinstance(value, int):
            case.path_parameters[name] = ids[value % len(ids)]
    case.call_and_validate(headers={"Authorization": f"Token {world['token']}"}, checks=CHECKS)
