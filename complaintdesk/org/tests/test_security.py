"""Sign-in lock-out (page and API), the security audit, the password policy, CSP and the
production settings' ``check --deploy``."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.org.models import AuditEntry, AuditKind, Role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


class BasicProbe(APIView):
    """Any password-based API authentication goes through ``django.contrib.auth.authenticate``."""

    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.username})


urlpatterns = [path("api/probe/", BasicProbe.as_view())]


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1", **extra)


def test_login_page_locks_out_after_five_failures_with_a_translated_message(client, org):
    for _ in range(4):
        assert _login(client, "agent", "wrong-password").status_code == 200
    assert _login(client, "agent", "wrong-password").status_code == 429  # the fifth failure locks
    locked = _login(client, "agent", "pw-12345678")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    client.cookies["django_language"] = "en"
    english = _login(client, "agent", "pw-12345678")
    assert english.status_code == 429 and "Too many failed sign-ins" in english.content.decode()
    # another address is not locked (a shared NAT address cannot be used to lock out a colleague
    # from another site), and another account from the same address is not either
    assert client.post(reverse("login"), {"username": "agent", "password": "pw-12345678"},
                       REMOTE_ADDR="10.9.9.9").status_code == 302
    assert _login(client, "agent2", "pw-12345678").status_code == 302
    kinds = list(AuditEntry.objects.filter(username="agent").values_list("kind", flat=True))
    assert kinds.count(AuditKind.LOGIN_FAILED) >= 5 and AuditKind.LOCKED_OUT in kinds


def test_a_success_before_the_limit_resets_the_count(client, org):
    for _ in range(4):
        _login(client, "agent", "wrong-password")
    assert _login(client, "agent", "pw-12345678").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "agent", "wrong-password")
    assert _login(client, "agent", "pw-12345678").status_code == 302


@pytest.mark.urls("complaintdesk.org.tests.test_security")
def test_api_password_authentication_locks_out_too(client, org):
    def basic(password):
        token = __import__("base64").b64encode(f"agent:{password}".encode()).decode()
        return client.get("/api/probe/", HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR="10.2.2.2")

    assert basic("pw-12345678").json() == {"user": "agent"}
    for _ in range(4):
        assert basic("wrong-password").status_code == 401
    assert basic("wrong-password").status_code == 429
    locked = basic("pw-12345678")
    assert locked.status_code == 429
    body = json.loads(locked.content)
    assert body["code"] == "locked_out" and "登录失败次数过多" in body["detail"]


def test_logins_and_failures_are_audited_with_the_address(client, org):
    _login(client, "agent", "wrong-password", HTTP_USER_AGENT="Mozilla/5.0 test")
    _login(client, "nobody", "wrong-password")
    _login(client, "agent", "pw-12345678")
    client.post(reverse("logout"))
    failed = AuditEntry.objects.filter(kind=AuditKind.LOGIN_FAILED).order_by("id")
    assert [(e.username, e.user_id) for e in failed] == [("agent", org.agent.pk), ("nobody", None)]
    assert failed[0].ip_address == "10.1.1.1" and failed[0].user_agent == "Mozilla/5.0 test"
    assert AuditEntry.objects.filter(kind=AuditKind.LOGIN, user=org.agent).count() == 1
    assert AuditEntry.objects.filter(kind=AuditKind.LOGOUT, user=org.agent).count() == 1


def test_permission_changes_are_audited_with_who_did_it(org):
    user = org.handler
    user._audit_actor = org.admin
    user.role = Role.SUPERVISOR
    user.department = org.service
    user.is_superuser = True
    user.save()
    user.display_name = "新名字"
    user.save()  # not a permission change: nothing recorded
    changes = {e.kind: e for e in AuditEntry.objects.filter(user=user).exclude(kind=AuditKind.USER_CREATED)}
    assert set(changes) == {AuditKind.ROLE_CHANGED, AuditKind.DEPARTMENT_CHANGED, AuditKind.SUPERUSER_CHANGED}
    role = changes[AuditKind.ROLE_CHANGED]
    assert role.before == {"role": "handler"} and role.after == {"role": "supervisor"} and role.actor == org.admin
    group = Group.objects.create(name="审计员")
    user.groups.add(group)
    group.user_set.remove(user)
    user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    user.user_permissions.clear()
    assert list(AuditEntry.objects.filter(user=user, kind=AuditKind.GROUPS_CHANGED).order_by("id").values_list("after", flat=True)) == [
        {"added": [group.pk]}, {"removed": [group.pk]}
    ]
    assert AuditEntry.objects.filter(user=user, kind=AuditKind.PERMISSIONS_CHANGED).count() == 2


def test_permission_change_through_the_admin_records_the_admin(client, org):
    org.admin.is_staff = True
    org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    url = reverse("admin:org_user_change", args=[org.handler.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name not in {"password", "groups", "user_permissions", "last_login", "date_joined"}}
    data.update({"role": Role.SUPERVISOR, "department": org.service.pk, "date_joined_0": "2026-03-10", "date_joined_1": "09:00:00"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    entry = AuditEntry.objects.get(user=org.handler, kind=AuditKind.ROLE_CHANGED)
    assert entry.actor == org.admin


def test_the_audit_is_read_only_in_the_admin(client, org):
    org.admin.is_staff = True
    org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    assert client.get(reverse("admin:org_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:org_auditentry_add")).status_code == 403
    entry = AuditEntry.objects.first()
    assert client.post(reverse("admin:org_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize(
    ("password", "reason"),
    [("Ab3$xyz", "too short"), ("1234567890123", "numeric"), ("password123", "common"), ("handler_b-2026", "like the username")],
)
def test_password_policy_refuses_weak_passwords(org, password, reason):
    with pytest.raises(ValidationError):
        validate_password(password, user=org.handler_b)


def test_password_policy_accepts_a_decent_password(org):
    validate_password("热线-Queue-7391", user=org.handler_b)


def test_every_page_has_a_content_security_policy_and_templates_have_no_inline_handlers(client, org):
    page = client.get(reverse("login"))
    policy = page["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy and "{nonce}" not in policy
    client.force_login(org.agent)
    workspace = client.get(reverse("web:queue", args=["all"]))
    nonce = re.search(r"'nonce-([^']+)'", workspace["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in workspace.content.decode()
    inline = re.compile(r"\son[a-z]+=\"")
    for template in list(ROOT.glob("templates/**/*.html")) + list(ROOT.glob("complaintdesk/*/templates/**/*.html")):
        assert not inline.search(template.read_text()), f"inline event handler in {template}"


def _deploy_check(**env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    inherited = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}}
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "config.django.production", "ALLOWED_HOSTS": "desk.example.com",
                   "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}", **env}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy_without_a_warning():
    result = _deploy_check(SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_the_development_secret_key():
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**environment, "DJANGO_SETTINGS_MODULE": "config.django.production"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
