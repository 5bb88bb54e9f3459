"""The security audit: sign-ins, failed sign-ins, lock-outs and changes to what a user may do
(role, department, superuser/staff/active flags, groups, permissions).

:func:`audit_record` is the one writer. The receivers below connect Django's auth signals, axes'
lock-out signal and the user model's saves to it (``OrgConfig.ready``). Who made a change comes
from ``user._audit_actor`` (the admin sets it); a change made by a command or a script has no actor.
"""

from __future__ import annotations

import ipaddress

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from complaintdesk.core import clock
from complaintdesk.core.ratelimit import client_ip
from complaintdesk.org.models import AuditEntry, AuditKind, User

# field → the event its change is recorded as
WATCHED = {
    "role": AuditKind.ROLE_CHANGED,
    "department_id": AuditKind.DEPARTMENT_CHANGED,
    "is_superuser": AuditKind.SUPERUSER_CHANGED,
    "is_staff": AuditKind.STAFF_CHANGED,
    "is_active": AuditKind.ACTIVE_CHANGED,
}


def _ip(request) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def audit_record(
    *,
    kind: str,
    user: User | None = None,
    username: str = "",
    actor: User | None = None,
    request=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return AuditEntry.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        ip_address=_ip(request),
        user_agent=agent[:300],
        before=before or {},
        after=after or {},
        created_at=clock.now(),
    )


def on_logged_in(sender, request, user, **kwargs):
    audit_record(kind=AuditKind.LOGIN, user=user, request=request)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(kind=AuditKind.LOGOUT, user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    known = User.objects.filter(username=username).first() if username else None
    audit_record(kind=AuditKind.LOGIN_FAILED, user=known, username=username, request=request)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(kind=AuditKind.LOCKED_OUT, username=str(username or ""), request=request)


def before_user_save(sender, instance: User, raw=False, **kwargs):
    if raw or not instance.pk:
        instance._audit_before = None
        return
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*WATCHED).first()


def after_user_save(sender, instance: User, created: bool, raw=False, **kwargs):
    if raw:
        return
    actor = getattr(instance, "_audit_actor", None)
    if created:
        audit_record(
            kind=AuditKind.USER_CREATED, user=instance, actor=actor,
            after={name: getattr(instance, name) for name in WATCHED},
        )
        return
    before = getattr(instance, "_audit_before", None) or {}
    for name, kind in WATCHED.items():
        if name in before and before[name] != getattr(instance, name):
            audit_record(kind=kind, user=instance, actor=actor,
                         before={name: before[name]}, after={name: getattr(instance, name)})
    instance._audit_before = None


def _m2m(kind: str, field: str):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "pre_clear":  # the ids are gone after the clear: read them now
            if reverse:  # group.user_set.clear() / permission.user_set.clear()
                for user in instance.user_set.all():
                    audit_record(kind=kind, user=user, before={"removed": [instance.pk]})
                return
            removed = sorted(getattr(instance, field).values_list("pk", flat=True))
            if removed:
                audit_record(kind=kind, user=instance, actor=getattr(instance, "_audit_actor", None),
                             before={"removed": removed})
            return
        if action not in {"post_add", "post_remove"} or not pk_set:
            return
        change = "added" if action == "post_add" else "removed"
        if reverse:  # a group's (or permission's) members were edited
            for user in User.objects.filter(pk__in=pk_set):
                audit_record(kind=kind, user=user, after={change: [instance.pk]})
            return
        audit_record(kind=kind, user=instance, actor=getattr(instance, "_audit_actor", None),
                     after={change: sorted(pk_set)})

    return receiver


on_groups_changed = _m2m(AuditKind.GROUPS_CHANGED, "groups")
on_permissions_changed = _m2m(AuditKind.PERMISSIONS_CHANGED, "user_permissions")


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="org.audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="org.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="org.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="org.audit.locked_out")
    pre_save.connect(before_user_save, sender=User, dispatch_uid="org.audit.pre_save")
    post_save.connect(after_user_save, sender=User, dispatch_uid="org.audit.post_save")
    m2m_changed.connect(on_groups_changed, sender=User.groups.through, dispatch_uid="org.audit.groups")
    m2m_changed.connect(on_permissions_changed, sender=User.user_permissions.through, dispatch_uid="org.audit.perms")
