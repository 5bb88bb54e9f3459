from __future__ import annotations

from django.db.models import QuerySet

from complaintdesk.notifications.models import Notification, OutboundMessage


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user, unread_only: bool = False, limit: int = 50) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).select_related("complaint")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")[:limit]


def outbound_for(*, complaint_id: int) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(complaint_id=complaint_id).order_by("created_at", "id")


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's own notices, unsliced (the API pages them with a cursor)."""
    qs = Notification.objects.filter(recipient=user).select_related("complaint")
    return qs.filter(read_at__isnull=True) if unread_only else qs
