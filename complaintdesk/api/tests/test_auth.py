"""Systems use a DRF token, the UI its session; HTTP Basic is off (no password guessing through it)."""

import base64
import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaintdesk.api.tests.helpers import error, token_client

pytestmark = pytest.mark.django_db


def test_drf_create_token_command_gives_a_working_token(org):
    out = io.StringIO()
    call_command("drf_create_token", "agent", stdout=out)
    key = Token.objects.get(user=org.agent).key
    assert key in out.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 200, response.content


def test_a_wrong_token_is_401_in_the_error_format(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 401
    assert error(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_http_basic_is_refused_even_with_the_right_password(org):
    client = APIClient()
    credentials = base64.b64encode(b"agent:pw-12345678").decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"


def test_the_ui_session_works_and_writes_need_csrf(org):
    browser = APIClient()
    assert browser.post("/login/", {"username": "agent", "password": "pw-12345678"}).status_code == 302
    client = APIClient(enforce_csrf_checks=True)
    client.cookies = browser.cookies
    assert client.get("/api/v1/complaints/").status_code == 200
    response = client.post("/api/v1/language/check/", {"text": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in error(response)["message"]


def test_a_token_needs_no_csrf(org):
    response = token_client(org.agent).post("/api/v1/language/check/", {"text": "你尽管去投诉好了"}, format="json")
    assert response.status_code == 200 and response.json()["violations"]
