"""The frame around every page: queues with their counts, the notification bell, the home page."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render

from complaintdesk.complaints import selectors
from complaintdesk.complaints.services.intake import INTAKE_ROLES
from complaintdesk.web.selectors import unread_notifications

log = logging.getLogger(__name__)

HOME_QUEUE = {"handler": "my_tasks", "supervisor": "to_approve", "manager": "escalated", "admin": "all"}


def _counts(user, *, fresh: bool) -> dict[str, int]:
    """The queue counts of the sidebar, kept ``NAV_COUNTS_TTL`` seconds per user.

    Every full page shows them, and at 1,000,000 complaints counting is a third of a complaint page
    (35 of 136 ms). A few seconds' delay on a page opened from a link is acceptable. After the user's
    own action their kept counts are dropped (:func:`forget_counts`) and the page asks for fresh
    ones (``/nav/``, ``fresh=True``), so an agent always sees their own changes at once."""
    ttl = getattr(settings, "NAV_COUNTS_TTL", 0)
    if ttl <= 0:
        return selectors.queue_counts(user)
    who = [user.role, user.department_id]  # a changed role or department counts afresh
    try:
        kept = None if fresh else cache.get(counts_key(user.pk))
    except Exception:  # the cache is a shortcut, never a dependency: an unreachable Redis counts afresh
        log.warning("navigation counts: cache unavailable", exc_info=True)
        return selectors.queue_counts(user)
    if kept and kept.get("who") == who:
        return kept["counts"]
    counts = selectors.queue_counts(user)
    try:
        cache.set(counts_key(user.pk), {"who": who, "counts": counts}, ttl)
    except Exception:
        log.warning("navigation counts: cache unavailable", exc_info=True)
    return counts


def counts_key(user_id) -> str:
    return f"nav-counts:{user_id}"


def forget_counts(*, actor_id: int | None = None, **_kw) -> None:
    """After a user's own action, their next page counts afresh (``web/apps.py`` subscribes it)."""
    if actor_id:
        try:
            cache.delete(counts_key(actor_id))
        except Exception:
            log.warning("navigation counts: cache unavailable", exc_info=True)


def nav_context(user, *, fresh: bool = False) -> dict:
    """Queue links with counts (one aggregate query, or none while the user's counts are kept) and
    the bell (one query when installed)."""
    counts = _counts(user, fresh=fresh)
    return {
        "nav_queues": [(q, counts.get(q.code, 0)) for q in selectors.queues_for(user)],
        "nav_counts": counts,
        "nav_bell": unread_notifications(user),
        "can_intake": user.role in INTAKE_ROLES,
        "is_supervisor": user.is_supervisor_or_above,
    }


@login_required
def home(request):
    return redirect("web:queue", code=HOME_QUEUE.get(request.user.role, "my_tasks"))


@login_required
def nav_counts(request):
    """Re-rendered after any action (HX-Trigger ``counts-changed``) so the numbers stay true."""
    return render(request, "web/layout/_nav.html", nav_context(request.user, fresh=True))
