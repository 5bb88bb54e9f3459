"""The one write path for a complaint's state.

:func:`perform` locks the row, checks the transition table and the actor's permission, lets the
caller change fields, saves only those fields and writes the timeline event — in one transaction.
Named services (``complaint_dispatch`` …) are thin layers over it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.models.timeline import NOT_ONE_GO
from complaintdesk.complaints.timeline import record
from complaintdesk.core import changes, clock, hooks
from complaintdesk.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from complaintdesk.org.models import DepartmentKind, Role


def actor_of(user) -> workflow.Actor:
    department = getattr(user, "department", None)
    return workflow.Actor(
        role=user.role,
        department_id=user.department_id,
        is_service_centre=bool(department and department.kind == DepartmentKind.SERVICE_CENTRE),
        user_id=user.pk,
    )


def subject_of(complaint: Complaint) -> workflow.Subject:
    return workflow.Subject(
        status=complaint.status, department_id=complaint.department_id, first_owner_id=complaint.first_owner_id
    )


def ensure_allowed(complaint: Complaint, action: str, user) -> workflow.Action:
    """Raise a translated error unless ``user`` may run ``action`` on ``complaint`` now."""
    if user.role not in Role.values or (user.department_id is None and not user.is_superuser):
        raise NotPermitted(_("您的账号尚未设置有效的角色或部门，不能操作投诉。请联系管理员。"))
    try:
        return workflow.check(action, actor_of(user), subject_of(complaint))
    except workflow.Refusal as refusal:
        label = refusal.action.label
        status = Status(complaint.status).label
        if refusal.kind == "state":
            if complaint.status == Status.ARCHIVED:
                raise InvalidTransition(_("投诉已归档，只读；如需处理请由主管重新打开。"))
            raise InvalidTransition(
                _("当前状态“%(status)s”下不能执行“%(action)s”。") % {"status": status, "action": label}
            )
        if refusal.kind == "role":
            raise NotPermitted(
                _("您的角色“%(role)s”无权执行“%(action)s”。") % {"role": Role(user.role).label, "action": label}
            )
        raise NotPermitted(_("只有责任部门或客服中心的相关人员才能执行“%(action)s”。") % {"action": label})


@dataclass
class Change:
    """What an action's ``apply`` callback hands back to :func:`perform`."""

    fields: dict = field(default_factory=dict)
    reason: str = ""
    after_extra: dict = field(default_factory=dict)
    event_type: str | None = None


def require(values: dict[str, object]) -> None:
    """Raise one error listing every required field that is blank."""
    missing = {name: [_("此项为必填项。")] for name, value in values.items() if value in (None, "", [], {})}
    if missing:
        raise ValidationFailed(missing)


def perform(
    *,
    complaint: Complaint | int,
    action: str,
    actor,
    event_type: str,
    apply: Callable[[Complaint], Change] | None = None,
    emit: Iterable[str] = (),
    idempotency_key: str | None = None,
) -> Complaint | None:
    """Run ``action`` on the complaint for ``actor`` (``None`` = the system, e.g. a sweep).

    The row is locked first and every check runs on the locked row, so two concurrent actions
    on one complaint cannot both pass the same state check. With an ``idempotency_key`` that is
    already on the timeline nothing happens and ``None`` is returned (sweeps re-run safely).
    """
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    with transaction.atomic():
        locked = Complaint.objects.select_for_update(no_key=True).get(pk=pk)
        if idempotency_key and TimelineEvent.objects.filter(idempotency_key=idempotency_key).exists():
            return None
        # The reports' running tallies move with the change (core.changes observers).
        with changes.complaints_changing([locked.pk]):
            if actor is not None:
                spec = ensure_allowed(locked, action, actor)
            else:
                spec = workflow.ACTIONS[action]
                if locked.status not in spec.sources:
                    raise InvalidTransition(_("当前状态下不能执行该操作。"))
            change = apply(locked) if apply else Change()
            source = locked.status
            target = spec.leads_to(source)
            before = {name: getattr(locked, name) for name in change.fields}
            for name, value in change.fields.items():
                setattr(locked, name, value)
            update_fields = list(change.fields)
            written = change.event_type or event_type
            # The reports' rework flags, kept with the event that sets them (not shown on the timeline).
            if written in NOT_ONE_GO and not locked.reworked:
                locked.reworked = True
                update_fields.append("reworked")
            if written == EventType.HANDED_BACK and not locked.handed_back:
                locked.handed_back = True
                update_fields.append("handed_back")
            if target != source:
                locked.status = target
                update_fields.append("status")
            if update_fields:
                locked.save(update_fields=[*update_fields, "updated_at"])
            event = record(
                complaint=locked,
                type=written,
                actor=actor,
                from_status=source,
                to_status=target,
                before=before,
                after={**change.fields, **change.after_extra},
                reason=change.reason,
                idempotency_key=idempotency_key,
            )
        said = {"complaint_id": locked.pk, "actor_id": getattr(actor, "pk", None), "action": action,
                "event_id": getattr(event, "pk", None)}
        for name in emit:
            hooks.emit(name, **said)
        hooks.emit("complaint.changed", **said)
    if isinstance(complaint, Complaint):
        complaint.refresh_from_db()
        return complaint
    return locked


def aware(value: dt.datetime | None) -> dt.datetime | None:
    from django.utils import timezone

    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def now() -> dt.datetime:
    return clock.now()


__all__ = ["Change", "EventType", "actor_of", "ensure_allowed", "perform", "require", "subject_of"]
