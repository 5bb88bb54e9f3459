"""服务上移 along the admin's chain (SPEC §5), and who must hear about a complaint.

The chain is read once per sweep run (:class:`Staff`), so escalating thousands of complaints costs
no query per complaint.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from complaintdesk.complaints.choices import EscalationLevel
from complaintdesk.org.models import Department, Role, User
from complaintdesk.sla.models import EscalationChainStep, NotifyRole


@dataclass(frozen=True)
class Step:
    level: int
    notify_role: str
    name: str


DEFAULT_CHAIN = (
    Step(EscalationLevel.AGENT, NotifyRole.HANDLER, "处理人"),
    Step(EscalationLevel.DEPARTMENT, NotifyRole.DEPARTMENT_HEAD, "部门负责人"),
    Step(EscalationLevel.SUPERVISOR, NotifyRole.SUPERVISOR, "主管"),
    Step(EscalationLevel.MANAGEMENT, NotifyRole.MANAGER, "经理"),
)


def chain() -> tuple[Step, ...]:
    rows = EscalationChainStep.objects.filter(active=True).order_by("order")
    steps = tuple(Step(r.level, r.notify_role, r.name) for r in rows)
    return steps or DEFAULT_CHAIN


@dataclass
class Staff:
    """Who holds which role, loaded once per run: department heads, supervisors, managers,
    admins, and every active user's department (a few thousand ids at most)."""

    steps: tuple[Step, ...]
    department_heads: dict[int, int] = field(default_factory=dict)
    supervisors_by_department: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))
    all_supervisors: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)
    admins: list[int] = field(default_factory=list)
    user_departments: dict[int, int | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Staff:
        staff = cls(steps=chain())
        staff.department_heads = dict(
            Department.objects.filter(active=True, head__isnull=False).values_list("id", "head_id")
        )
        users = User.objects.filter(is_active=True).values_list("id", "role", "department_id", "is_superuser")
        for pk, role, department_id, superuser in users:
            staff.user_departments[pk] = department_id
            if role == Role.SUPERVISOR:
                staff.supervisors_by_department[department_id].append(pk)
                staff.all_supervisors.append(pk)
            elif role == Role.MANAGER:
                staff.managers.append(pk)
            if role == Role.ADMIN or superuser:
                staff.admins.append(pk)
        return staff

    def next_step(self, complaint) -> Step | None:
        """The next level up that applies to this complaint (a step with nobody to tell is skipped)."""
        for step in self.steps:
            if step.level > complaint.escalation_level and self.recipients(step, complaint):
                return step
        return None

    def recipients(self, step: Step, complaint) -> set[int]:
        if step.notify_role == NotifyRole.HANDLER:
            return {complaint.handler_id} if complaint.handler_id else set()
        if step.notify_role == NotifyRole.FIRST_OWNER:
            return {complaint.first_owner_id}
        if step.notify_role == NotifyRole.DEPARTMENT_HEAD:
            head = self.department_heads.get(complaint.department_id) if complaint.department_id else None
            return {head} if head else set()
        if step.notify_role == NotifyRole.SUPERVISOR:
            return set(self.supervisors_for(complaint))
        if step.notify_role == NotifyRole.MANAGER:
            return set(self.managers)
        return set()

    def supervisors_for(self, complaint) -> list[int]:
        """Supervisors of the responsible department, else of the first owner's desk, else all."""
        for department_id in (complaint.department_id, self.first_owner_department(complaint)):
            found = self.supervisors_by_department.get(department_id) if department_id else None
            if found:
                return found
        return self.all_supervisors

    def first_owner_department(self, complaint) -> int | None:
        return self.user_departments.get(complaint.first_owner_id)

    def concerned(self, complaint) -> set[int]:
        """The handler and the 首问责任人: told of every warning and breach of their complaint."""
        return {pk for pk in (complaint.handler_id, complaint.first_owner_id) if pk}
