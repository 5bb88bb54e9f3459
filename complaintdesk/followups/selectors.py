"""Reads for return visits: the cases to plan, the plans, and the supervisor's review queue."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Mod

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint, VisitRecord
from complaintdesk.followups.models import ReturnVisitTask, ReviewPolicy, TaskStatus, VisitPlan

REVIEW_LIMIT = 50


def review_sample_percent() -> int:
    policy = ReviewPolicy.objects.order_by("pk").first()
    return 100 if policy is None else policy.sample_percent


def _review_q(percent: int) -> Q:
    return Q(review__isnull=True, bucket__lt=percent)


def visit_review_queue(*, limit: int = REVIEW_LIMIT) -> tuple[list[VisitRecord], int]:
    """Completed visits awaiting a supervisor's review (the sampled share), oldest first, and
    their count. Three queries whatever the size: the policy, the page, the count."""
    percent = review_sample_percent()
    qs = VisitRecord.objects.annotate(bucket=Mod("id", 100)).filter(_review_q(percent))
    rows = list(qs.select_related("complaint", "by").order_by("at", "id")[:limit])
    return rows, qs.count()


def visit_review_count() -> int:
    percent = review_sample_percent()
    return VisitRecord.objects.annotate(bucket=Mod("id", 100)).filter(_review_q(percent)).count()


def revisit_pending(*, complaint_id: int) -> bool:
    """A supervisor sent a visit of this case back and the re-visit has not happened yet."""
    return ReturnVisitTask.objects.filter(
        complaint_id=complaint_id, revisit_of__isnull=False, status__in=[TaskStatus.OPEN, TaskStatus.OVERDUE]
    ).exists()


def visit_plan_candidates(*, limit: int = 200) -> QuerySet[Complaint]:
    """Cases awaiting a visit that no plan holds yet, the earliest visit deadline first."""
    planned = ReturnVisitTask.objects.filter(plan__isnull=False, status=TaskStatus.OPEN).values("complaint_id")
    return (
        Complaint.objects.filter(status=Status.AWAITING_VISIT)
        .exclude(pk__in=planned)
        .select_related("customer", "department", "first_owner")
        .order_by("visit_due_at", "id")[:limit]
    )


def visit_plan_list(*, limit: int = 30) -> list[VisitPlan]:
    return list(
        VisitPlan.objects.select_related("assigned_to", "created_by")
        .annotate(
            total=Count("tasks"),
            done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
        )
        .order_by("-scheduled_for", "-id")[:limit]
    )
