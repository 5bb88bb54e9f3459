"""Writes of the improvement app: opening and moving a corrective action (整改单).

Each service locks the row, checks the state and the actor, saves only the fields it changes and
writes one immutable history event — in one transaction. The assigned department is notified after
commit.

Who may do what:
- open, verify, reject: supervisors, managers and admins (verify/reject not by whoever completed it);
- start, complete: members of the assigned department (handlers, and its supervisors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.core import clock
from complaintdesk.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from complaintdesk.core.sequences import next_value
from complaintdesk.improvement.choices import PENDING_STATUSES, ActionEventType, ActionStatus
from complaintdesk.improvement.models import CorrectiveAction, CorrectiveActionEvent
from complaintdesk.notifications.messages import compose
from complaintdesk.notifications.models import NotificationKind
from complaintdesk.notifications.services import Notice, notify, notify_many
from complaintdesk.org.models import Department, DepartmentKind, Role, User

OPENER_ROLES = {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
DEPARTMENT_ROLES = {Role.HANDLER, Role.SUPERVISOR, Role.MANAGER}
MAX_LINKED = 500

# action → (source states, target state)
TRANSITIONS = {
    "start": ((ActionStatus.OPEN, ActionStatus.REOPENED), ActionStatus.IN_PROGRESS),
    "complete": ((ActionStatus.IN_PROGRESS,), ActionStatus.DONE),
    "verify": ((ActionStatus.DONE,), ActionStatus.VERIFIED),
    "reject": ((ActionStatus.DONE,), ActionStatus.REOPENED),
}
LABELS = {
    "start": ActionEventType.STARTED.label,
    "complete": ActionEventType.COMPLETED.label,
    "verify": ActionEventType.VERIFIED.label,
    "reject": ActionEventType.REJECTED.label,
}


def _record(action: CorrectiveAction, *, type: str, actor: User, from_status: str, values: dict) -> None:
    CorrectiveActionEvent.objects.create(
        action=action, type=type, actor=actor, created_at=clock.now(), from_status=from_status,
        to_status=action.status, values=values,
    )


def _notify_department(action: CorrectiveAction, *, event: str, text: dict, exclude: int | None = None) -> None:
    """After commit: every active member of the assigned department gets an in-app notice (a composed
    message, rendered in each reader's language when read)."""
    action_id, department_id = action.pk, action.department_id

    def send() -> None:
        recipients = User.objects.filter(department_id=department_id, is_active=True).exclude(pk=exclude)
        notify(recipients=recipients.values_list("pk", flat=True), kind=NotificationKind.CORRECTIVE_ACTION, text=text,
               key=f"corrective:{action_id}:{event}")

    transaction.on_commit(send)


def _require_opener(actor: User, message: str) -> None:
    if actor.role not in OPENER_ROLES:
        raise NotPermitted(message)


def _clean_open(*, title: str, problem: str, department, due_date, complaint_ids) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写标题。")]
    if not (problem or "").strip():
        errors["problem"] = [_("请填写问题描述。")]
    if department is None:
        errors["department"] = [_("请选择整改部门。")]
    elif department.kind == DepartmentKind.MANAGEMENT or not department.active:
        errors["department"] = [_("整改部门须是启用的业务部门。")]
    if due_date is None:
        errors["due_date"] = [_("请填写整改期限。")]
    elif due_date < timezone.localdate(clock.now()):
        errors["due_date"] = [_("整改期限不能早于今天。")]
    if len(complaint_ids) > MAX_LINKED:
        errors["complaints"] = [_("一张整改单最多关联 %(n)d 件投诉。") % {"n": MAX_LINKED}]
    return errors


def corrective_action_open(
    *,
    actor: User,
    title: str,
    problem: str,
    department: Department | None,
    due_date: dt.date | None,
    complaint_ids: Iterable[int] = (),
    category: Category | None = None,
    area: str = "",
    match_text: str = "",
    submission_key: str | None = None,
) -> CorrectiveAction:
    """Open a corrective action, from a recurring problem (its complaints, category, building and
    text) or by hand. A repeated ``submission_key`` returns the action already opened."""
    _require_opener(actor, _("只有主管或经理可以开立整改单。"))
    ids = sorted({int(i) for i in complaint_ids})
    errors = _clean_open(title=title, problem=problem, department=department, due_date=due_date, complaint_ids=ids)
    if errors:
        raise ValidationFailed(errors)
    if submission_key:
        existing = CorrectiveAction.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    found = set(Complaint.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise ValidationFailed({"complaints": [_("关联的投诉不存在。")]})
    try:
        with transaction.atomic():
            now = clock.now()
            action = CorrectiveAction.objects.create(
                number=f"ZG{now:%Y%m}{next_value(f'corrective:{now:%Y%m}'):04d}",
                title=title.strip()[:120],
                problem=problem.strip(),
                department=department,
                due_date=due_date,
                category=category,
                area=(area or "").strip()[:40],
                match_text=(match_text or "").strip()[:2000],
                opened_by=actor,
                opened_at=now,
                submission_key=submission_key or None,
            )
            action.complaints.set(ids)
            _record(action, type=ActionEventType.OPENED, actor=actor, from_status="", values={
                "title": action.title, "department_id": department.pk, "due_date": due_date.isoformat(),
                "complaint_ids": ids, "category_id": category.pk if category else None, "area": action.area,
            })
            _notify_department(
                action, event="opened",
                text=compose(gettext_noop("新整改单 %(number)s：%(title)s，期限 %(due)s。"),
                             number=action.number, title=action.title, due=due_date.isoformat()),
            )
    except IntegrityError:
        # Two identical submissions raced: the other one won; hand back what it opened.
        existing = CorrectiveAction.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return existing
    return action


def _transition(action_id: int, verb: str) -> tuple[CorrectiveAction, str]:
    """Lock the row and check state; the caller checks the actor and sets the fields."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action_id)
    sources, _target = TRANSITIONS[verb]
    if action.status not in sources:
        raise InvalidTransition(
            _("整改单当前状态“%(status)s”下不能执行“%(action)s”。")
            % {"status": ActionStatus(action.status).label, "action": LABELS[verb]}
        )
    return action, action.status


def _require_department(action: CorrectiveAction, actor: User) -> None:
    if actor.department_id != action.department_id or actor.role not in DEPARTMENT_ROLES:
        raise NotPermitted(_("只有整改部门的人员可以执行此操作。"))


def corrective_action_start(*, action: CorrectiveAction, actor: User) -> CorrectiveAction:
    with transaction.atomic():
        locked, before = _transition(action.pk, "start")
        _require_department(locked, actor)
        locked.status = ActionStatus.IN_PROGRESS
        locked.started_at = locked.started_at or clock.now()
        locked.save(update_fields=["status", "started_at"])
        _record(locked, type=ActionEventType.STARTED, actor=actor, from_status=before, values={})
    return locked


def corrective_action_complete(*, action: CorrectiveAction, actor: User, changes: str) -> CorrectiveAction:
    """Done by the department: what was changed is required (it is what the supervisor verifies)."""
    if not (changes or "").strip():
        raise ValidationFailed({"changes": [_("请填写整改内容（改了什么）。")]})
    with transaction.atomic():
        locked, before = _transition(action.pk, "complete")
        _require_department(locked, actor)
        locked.status = ActionStatus.DONE
        locked.changes = changes.strip()
        locked.completed_by = actor
        locked.completed_at = clock.now()
        locked.save(update_fields=["status", "changes", "completed_by", "completed_at"])
        _record(locked, type=ActionEventType.COMPLETED, actor=actor, from_status=before,
                values={"changes": locked.changes})
    return locked


def _check_verifier(action: CorrectiveAction, actor: User) -> None:
    _require_opener(actor, _("只有主管或经理可以验证整改单。"))
    if action.completed_by_id == actor.pk:
        raise NotPermitted(_("完成整改的人不能验证自己的整改。"))


def corrective_action_verify(*, action: CorrectiveAction, actor: User, comment: str = "") -> CorrectiveAction:
    with transaction.atomic():
        locked, before = _transition(action.pk, "verify")
        _check_verifier(locked, actor)
        locked.status = ActionStatus.VERIFIED
        locked.verification_comment = (comment or "").strip()
        locked.verified_by = actor
        locked.verified_at = clock.now()
        locked.save(update_fields=["status", "verification_comment", "verified_by", "verified_at"])
        _record(locked, type=ActionEventType.VERIFIED, actor=actor, from_status=before,
                values={"comment": locked.verification_comment})
        _notify_department(locked, event=f"verified:{locked.verified_at.isoformat()}",
                           text=compose(gettext_noop("整改单 %(number)s 已验证通过。"), number=locked.number))
    return locked


def corrective_action_reject(*, action: CorrectiveAction, actor: User, comment: str) -> CorrectiveAction:
    """Verification failed: back to the department as 验证未通过, with the reason (required)."""
    if not (comment or "").strip():
        raise ValidationFailed({"comment": [_("请填写验证未通过的原因。")]})
    with transaction.atomic():
        locked, before = _transition(action.pk, "reject")
        _check_verifier(locked, actor)
        now = clock.now()
        locked.status = ActionStatus.REOPENED
        locked.verification_comment = comment.strip()
        locked.verified_by = None
        locked.verified_at = None
        locked.save(update_fields=["status", "verification_comment", "verified_by", "verified_at"])
        _record(locked, type=ActionEventType.REJECTED, actor=actor, from_status=before,
                values={"comment": locked.verification_comment})
        _notify_department(
            locked, event=f"rejected:{now.isoformat()}",
            text=compose(gettext_noop("整改单 %(number)s 验证未通过，请重新整改：%(comment)s"),
                         number=locked.number, comment=locked.verification_comment),
        )
    return locked


def allowed_verbs(*, action: CorrectiveAction, user: User) -> list[str]:
    """The transitions ``user`` may run on ``action`` now, by the same checks the services make."""
    checks = {"start": _require_department, "complete": _require_department,
              "verify": _check_verifier, "reject": _check_verifier}
    verbs = []
    for verb, (sources, _target) in TRANSITIONS.items():
        if action.status not in sources:
            continue
        try:
            checks[verb](action, user)
        except NotPermitted:
            continue
        verbs.append(verb)
    return verbs


def corrective_action_remind_overdue(*, limit: int = 1000) -> int:
    """Remind the assigned departments of their overdue actions: at most one notice per action, member
    and day, so the hourly job may run any number of times. Two queries and one bulk insert."""
    today = timezone.localdate(clock.now())
    overdue = list(
        CorrectiveAction.objects.filter(status__in=PENDING_STATUSES, due_date__lt=today)
        .order_by("due_date", "id")
        .values("pk", "number", "department_id", "due_date")[:limit]
    )
    if not overdue:
        return 0
    members: dict[int, list[int]] = {}
    for pk, department_id in User.objects.filter(
        department_id__in={a["department_id"] for a in overdue}, is_active=True
    ).values_list("pk", "department_id"):
        members.setdefault(department_id, []).append(pk)
    notices = [
        Notice(
            recipient_id=user_id,
            kind=NotificationKind.CORRECTIVE_ACTION,
            text=compose(gettext_noop("整改单 %(number)s 已逾期（期限 %(due)s），请尽快完成整改。"),
                         number=a["number"], due=a["due_date"].isoformat()),
            key=f"corrective:{a['pk']}:overdue:{today.isoformat()}:u{user_id}",
        )
        for a in overdue
        for user_id in members.get(a["department_id"], [])
    ]
    with transaction.atomic():
        return notify_many(notices)
