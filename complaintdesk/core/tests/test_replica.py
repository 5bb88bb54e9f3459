"""Report reads go to a healthy replica; a lagging or silent one is skipped; writes never go there."""

import pytest
from django.test import override_settings

from complaintdesk.complaints.models import Complaint
from complaintdesk.core import replica
from complaintdesk.core.replica import ReplicaRouter, replica_reads


@pytest.fixture(autouse=True)
def _fresh():
    replica.reset_health()
    yield
    replica.reset_health()


def _replica(monkeypatch, value):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    _lag(monkeypatch, value)


def _lag(monkeypatch, value):
    def lag():
        if isinstance(value, Exception):
            raise value
        return value

    monkeypatch.setattr(replica, "replica_lag_seconds", lag)


@override_settings(REPLICA_MAX_LAG_SECONDS=30)
def test_report_reads_go_to_a_caught_up_replica_and_nothing_else_does(monkeypatch):
    _replica(monkeypatch, 0.0)
    router = ReplicaRouter()
    assert router.db_for_read(Complaint) == "default"
    with replica_reads():
        assert router.db_for_read(Complaint) == "replica"
        assert router.db_for_write(Complaint) == "default"
    assert router.db_for_read(Complaint) == "default"
    assert router.allow_migrate("replica", "complaints") is False


@override_settings(REPLICA_MAX_LAG_SECONDS=30)
def test_a_lagging_or_silent_replica_is_skipped(monkeypatch):
    router = ReplicaRouter()
    _replica(monkeypatch, 120.0)
    with replica_reads():
        assert router.db_for_read(Complaint) == "default"
    replica.reset_health()
    _lag(monkeypatch, ConnectionError("replica down"))
    with replica_reads():
        assert router.db_for_read(Complaint) == "default"


def test_without_a_replica_reports_read_the_primary(monkeypatch):
    _lag(monkeypatch, 0.0)

    @replica_reads()
    def report():
        return ReplicaRouter().db_for_read(Complaint)

    assert report() == "default"
