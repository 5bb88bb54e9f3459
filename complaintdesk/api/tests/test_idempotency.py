"""Idempotency-Key: a retried or concurrent intake returns the first complaint, never a second —
enforced by a unique constraint (insert-first), not by reading before writing."""

import threading

import pytest
from django.db import connections

from complaintdesk.api.tests.helpers import error, token_client
from complaintdesk.complaints import services
from complaintdesk.complaints.models import Complaint, IntakeKey

INTAKE = {"phone": "13812345678", "customer_name": "王五", "subject": "电梯故障", "description": "电梯困人十分钟",
          "demand": "检修电梯", "category": "repair_quality"}
URL = "/api/v1/complaints/receive/"


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_complaint(org, pinned_clock):
    client = token_client(org.agent, HTTP_IDEMPOTENCY_KEY="cti-call-0001")
    first = client.post(URL, INTAKE, format="json")
    second = client.post(URL, INTAKE, format="json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and first.json()["number"] == second.json()["number"]
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_other_content_is_a_409(org, pinned_clock):
    client = token_client(org.agent, HTTP_IDEMPOTENCY_KEY="cti-call-0002")
    assert client.post(URL, INTAKE, format="json").status_code == 201
    response = client.post(URL, {**INTAKE, "subject": "别的事"}, format="json")
    assert response.status_code == 409 and error(response)["code"] == "conflict"
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_caller_and_no_key_means_no_deduplication(org, pinned_clock):
    token_client(org.agent, HTTP_IDEMPOTENCY_KEY="same").post(URL, INTAKE, format="json")
    token_client(org.agent2, HTTP_IDEMPOTENCY_KEY="same").post(URL, INTAKE, format="json")
    token_client(org.agent).post(URL, INTAKE, format="json")
    assert Complaint.objects.count() == 3


@pytest.mark.django_db
def test_a_failed_intake_does_not_burn_its_key(org, pinned_clock):
    client = token_client(org.agent, HTTP_IDEMPOTENCY_KEY="cti-call-0003")
    assert client.post(URL, {**INTAKE, "phone": "123"}, format="json").status_code == 400
    assert not IntakeKey.objects.exists()
    assert client.post(URL, INTAKE, format="json").status_code == 201


@pytest.mark.django_db
def test_a_malformed_key_is_a_400(org, pinned_clock):
    response = token_client(org.agent, HTTP_IDEMPOTENCY_KEY="x" * 500).post(URL, INTAKE, format="json")
    assert response.status_code == 400 and "idempotency_key" in error(response)["fields"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_one_complaint(org):
    from complaintdesk.complaints.models import Category

    category = Category.objects.get(code="repair_quality")
    barrier = threading.Barrier(2)
    results: list = []

    def submit():
        try:
            barrier.wait(timeout=10)
            complaint, created = services.complaint_receive_once(
                actor=org.agent, key="same-call", phone="13812345678", customer_name="王五", subject="电梯故障",
                description="电梯困人十分钟", demand="检修电梯", category=category,
            )
            results.append((complaint.pk, created))
        except Exception as exc:  # noqa: BLE001 - the assertion below shows what went wrong
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(isinstance(r, tuple) for r in results), results
    assert len(results) == 2 and results[0][0] == results[1][0]
    assert sorted(created for _pk, created in results) == [False, True]
    assert Complaint.objects.count() == 1 and IntakeKey.objects.count() == 1
