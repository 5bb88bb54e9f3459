"""Health, readiness, request ids in the logs, and the Prometheus metrics."""

import json
import logging
import os

import pytest
from django.test import override_settings

from complaintdesk.notifications.models import OutboundMessage
from complaintdesk.ops import health
from complaintdesk.ops.requestid import RequestIdFilter
from complaintdesk.sla.models import SweepRun

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_migrations_and_redis(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "not used"


def test_readyz_is_503_with_the_reason_when_a_dependency_fails(client, monkeypatch):
    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "connection refused" in response.json()["checks"]["database"]["status"]


def test_readyz_pings_the_redis_the_deployment_uses(client):
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    with override_settings(CACHES={"default": {**redis_cache["default"], "LOCATION": "redis://127.0.0.1:6379/9"}}):
        assert client.get("/readyz").json()["checks"]["redis"]["status"] == "ok"
    with override_settings(CACHES={"default": {**redis_cache["default"], "LOCATION": "redis://127.0.0.1:1/0"}}):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"].startswith("error")


def test_a_request_id_is_kept_or_made_and_reaches_the_logs(client, caplog):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-12345")
    assert kept["X-Request-ID"] == "proxy-abc-12345"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "<script>"

    from complaintdesk.ops import requestid

    token = requestid._current.set("req-1234567890")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
        RequestIdFilter().filter(record)
    finally:
        requestid._current.reset(token)
    assert record.request_id == "req-1234567890"


def test_json_log_lines_carry_the_request_id():
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
    record = logging.LogRecord("complaintdesk", logging.WARNING, __file__, 1, "sweep %s", ("late",), None)
    record.request_id = "abc123abc123"
    line = json.loads(formatter.format(record))
    assert line["message"] == "sweep late" and line["request_id"] == "abc123abc123"


def test_metrics_show_latency_per_view_and_the_domain_gauges(client, org):
    from complaintdesk.complaints.tests.factories import receive

    complaint = receive(org)
    OutboundMessage.objects.filter(complaint=complaint).update(status="queued")
    queued = OutboundMessage.objects.filter(status="queued").count()
    SweepRun.objects.create(
        name="first_answer_breach", started_at=complaint.received_at, as_of=complaint.received_at,
        acted=3, duration_ms=1500,
    )
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'complaintdesk_request_seconds_count{method="GET",status="200",view="ops:healthz"}' in body
    assert f"complaintdesk_notifications_pending {float(queued)}" in body
    assert 'complaintdesk_sweep_last_duration_seconds{sweep="first_answer_breach"} 1.5' in body


def test_metrics_are_not_public(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    with override_settings(METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
        assert (
            client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code
            == 200
        )


def test_metrics_report_the_celery_queue_on_redis(client):
    import redis

    queue = redis.Redis.from_url("redis://127.0.0.1:6379/9")
    queue.delete("celery")
    queue.rpush("celery", "a", "b")
    try:
        with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/9"):
            body = client.get("/metrics").content.decode()
    finally:
        queue.delete("celery")
    assert "complaintdesk_celery_queue_length 2.0" in body


def _database_settings(expression: str = "bool(d.get('DISABLE_SERVER_SIDE_CURSORS'))", **env) -> dict:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = ("import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{a: {expression} for a, d in settings.DATABASES.items()}}))")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
    environment.update(DJANGO_SETTINGS_MODULE="config.django.local", DATABASE_URL="postgres://app@db.example/desk",
                       REPLICA_DATABASE_URL="postgres://app@replica.example/desk", **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_server_side_cursors_can_be_turned_off_for_pgbouncer():
    assert _database_settings() == {"default": False, "replica": False}
    assert _database_settings(DB_SERVER_SIDE_CURSORS="off") == {"default": True, "replica": True}


def test_prepared_statements_are_on_by_default_and_can_be_turned_off_for_old_poolers():
    prepared = "[d['OPTIONS'].get('server_side_binding'), d['OPTIONS'].get('prepare_threshold')]"
    assert _database_settings(prepared) == {"default": [True, 2], "replica": [True, 2]}
    assert _database_settings(prepared, DB_PREPARED_STATEMENTS="off") == {"default": [None, None],
                                                                          "replica": [None, None]}


@pytest.mark.django_db
def test_a_query_run_twice_on_a_connection_is_prepared():
    """PostgreSQL: the second run of the same query prepares it (planned once per connection)."""
    from django.db import connection

    from complaintdesk.complaints.models import Complaint

    if connection.vendor != "postgresql":
        assert connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is None
        return
    connection.ensure_connection()
    for _ in range(3):
        list(Complaint.objects.filter(pk=-1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ['%FROM "complaints_complaint" WHERE "complaints_complaint"."id" = $1%'])
        assert cursor.fetchone()[0] == 1
