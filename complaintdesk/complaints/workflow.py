"""The transition table of a complaint: pure data plus the checks over it. No database access.

Each :class:`Action` says from which states it may run, the state it leads to (``None`` = the
state is kept, e.g. an escalation or a logged contact), which roles may run it, and which
relationship the actor must have with the complaint:

* ``ANY``         — any staff member of an allowed role;
* ``DEPARTMENT``  — a member of the complaint's responsible department (only they handle);
* ``DESK``        — a member of the service centre (客服中心) or the first owner (首问责任人).

Supervisors, managers and admins act across departments when their role is listed.
``services.py`` runs every action through :func:`check` before it touches a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from complaintdesk.complaints.choices import OPEN_STATUSES, Status
from complaintdesk.org.models import Role

ANY = "any"
DEPARTMENT = "department"
DESK = "desk"

S = Status
OPEN = tuple(sorted(OPEN_STATUSES))
AFTER_DISPATCH = (S.DISPATCHED, S.HANDLING, S.PENDING_APPROVAL, S.IMPLEMENTING, S.RECEIPT_SUBMITTED)
DESK_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
HANDLERS = frozenset({Role.HANDLER})
EVERYONE = frozenset(Role.values)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    roles: frozenset[str]
    relation: str = ANY

    def leads_to(self, source: str) -> str:
        return self.target or source


def _a(name, label, sources, target, roles, relation=ANY) -> Action:
    return Action(name, label, tuple(sources), target, frozenset(roles), relation)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _a("review_valid", "判定成立", [S.RECEIVED], S.ACCEPTED, DESK_ROLES, DESK),
        _a("review_invalid", "判定不成立", [S.RECEIVED], S.CLOSED, DESK_ROLES, DESK),
        _a("resolve_on_spot", "当场解决", [S.RECEIVED, S.ACCEPTED], S.CLOSED, DESK_ROLES, DESK),
        _a("dispatch", "派单", [S.ACCEPTED], S.DISPATCHED, DESK_ROLES, DESK),
        _a("transfer", "转派", AFTER_DISPATCH[:2], S.DISPATCHED, DESK_ROLES, DESK),
        _a("hand_back", "退回派单", [S.DISPATCHED, S.HANDLING], S.ACCEPTED, HANDLERS, DEPARTMENT),
        _a("accept_ticket", "接单", [S.DISPATCHED], S.HANDLING, HANDLERS, DEPARTMENT),
        _a("submit_plan", "提交方案", [S.HANDLING], S.IMPLEMENTING, HANDLERS, DEPARTMENT),
        _a("request_approval", "提交主管批示", [S.HANDLING], S.PENDING_APPROVAL, HANDLERS, DEPARTMENT),
        _a("approve_plan", "批准方案", [S.PENDING_APPROVAL], S.IMPLEMENTING, SUPERVISORS),
        _a("reject_plan", "驳回方案", [S.PENDING_APPROVAL], S.HANDLING, SUPERVISORS),
        _a("submit_receipt", "提交回单", [S.IMPLEMENTING], S.RECEIPT_SUBMITTED, HANDLERS, DEPARTMENT),
        _a("accept_receipt", "回单审核通过", [S.RECEIPT_SUBMITTED], S.AWAITING_VISIT, DESK_ROLES, DESK),
        _a("reject_receipt", "退回回单", [S.RECEIPT_SUBMITTED], S.IMPLEMENTING, DESK_ROLES, DESK),
        _a("visit_satisfied", "回访满意结案", [S.AWAITING_VISIT], S.CLOSED, DESK_ROLES, DESK),
        _a("visit_unsatisfied", "回访不满意(重新上移)", [S.AWAITING_VISIT], S.HANDLING, DESK_ROLES, DESK),
        _a("visit_declined", "客户拒绝回访", [S.AWAITING_VISIT], S.CLOSED, DESK_ROLES, DESK),
        _a("close_exempt", "免回访结案", [S.AWAITING_VISIT], S.CLOSED, DESK_ROLES, DESK),
        _a("archive", "归档", [S.CLOSED], S.ARCHIVED, SUPERVISORS),
        _a("reopen", "重新打开", [S.CLOSED, S.ARCHIVED], S.ACCEPTED, SUPERVISORS),
        _a("upgrade_nature", "升级为有效投诉", OPEN, None, DESK_ROLES, DESK),
        _a("classify", "修改分类", OPEN, None, DESK_ROLES, DESK),
        _a("escalate", "手动升级", OPEN, None, EVERYONE),
        _a("three_changes", "三变法", OPEN, None, SUPERVISORS),
        _a("log_contact", "记录联系", OPEN, None, EVERYONE),
        _a("add_note", "内部备注", OPEN, None, EVERYONE),
        _a("add_attachment", "添加附件", OPEN, None, EVERYONE),
        _a("request_extension", "申请延期", [S.HANDLING, S.PENDING_APPROVAL, S.IMPLEMENTING], None, HANDLERS, DEPARTMENT),
        _a("decide_extension", "审批延期", [S.HANDLING, S.PENDING_APPROVAL, S.IMPLEMENTING], None, SUPERVISORS),
        _a("revisit", "再次回访", [S.CLOSED], None, DESK_ROLES, DESK),
        _a("link_duplicate", "关联同一事项", (*OPEN, S.CLOSED), None, DESK_ROLES, DESK),
        _a("merge_duplicate", "合并为重复投诉", OPEN, S.CLOSED, DESK_ROLES, DESK),
    ]
}

# The state a new complaint starts in; intake is not a transition from another state.
INITIAL = S.RECEIVED
TERMINAL = frozenset({S.ARCHIVED})


class Refusal(Exception):
    """Why an action may not run: ``kind`` is "state", "role" or "relation"."""

    def __init__(self, kind: str, action: Action):
        super().__init__(kind)
        self.kind = kind
        self.action = action


@dataclass(frozen=True)
class Actor:
    """What the table needs to know of the person acting."""

    role: str
    department_id: int | None
    is_service_centre: bool
    user_id: int | None = None


@dataclass(frozen=True)
class Subject:
    """What the table needs to know of the complaint."""

    status: str
    department_id: int | None
    first_owner_id: int | None


def can_transition(status: str, action_name: str) -> bool:
    return status in ACTIONS[action_name].sources


def check(action_name: str, actor: Actor, subject: Subject) -> Action:
    """Return the action if ``actor`` may run it on ``subject`` now; raise :class:`Refusal` if not."""
    action = ACTIONS[action_name]
    if subject.status not in action.sources:
        raise Refusal("state", action)
    if actor.role not in action.roles:
        raise Refusal("role", action)
    supervisor = actor.role in SUPERVISORS
    if action.relation == DEPARTMENT:
        if subject.department_id is None or actor.department_id != subject.department_id:
            raise Refusal("relation", action)
    elif action.relation == DESK and not supervisor:
        if not (actor.is_service_centre or (actor.user_id and actor.user_id == subject.first_owner_id)):
            raise Refusal("relation", action)
    return action


def allowed_actions(actor: Actor, subject: Subject) -> list[Action]:
    """The actions this actor may take now, in table order (what a page offers)."""
    result = []
    for name in ACTIONS:
        try:
            result.append(check(name, actor, subject))
        except Refusal:
            continue
    return result


def mermaid() -> str:
    """A Mermaid state diagram generated from the table (committed as docs/workflow.md)."""
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL}: 受理"]
    seen = set()
    for action in ACTIONS.values():
        if action.target is None:
            continue
        for source in action.sources:
            key = (source, action.target, action.label)
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"    {source} --> {action.target}: {action.label}")
    lines.append(f"    {S.ARCHIVED} --> [*]")
    for status in Status:
        lines.append(f"    {status.value}: {status.value} {status.label}")
    return "\n".join(lines)
