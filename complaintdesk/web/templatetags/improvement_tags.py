"""Display helpers of the improvement pages: status badges and history lines in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from complaintdesk.improvement.choices import PENDING_STATUSES, STATUS_COLOURS, ActionStatus

register = template.Library()


@register.simple_tag
def action_badge(action, today=None) -> str:
    status = ActionStatus(action.status)
    badge = format_html('<span class="badge st-{}" data-status="{}">{}</span>',
                        STATUS_COLOURS.get(status, "grey"), status.value, status.label)
    if today is not None and status in PENDING_STATUSES and action.due_date < today:
        badge += format_html(' <span class="badge esc" data-overdue="1">{}</span>', _("已逾期"))
    return badge


@register.simple_tag
def status_label(value: str) -> str:
    return ActionStatus(value).label if value in ActionStatus.values else ""


@register.simple_tag
def event_values(event) -> str:
    """The machine values of a history event as labelled lines (never stored as prose)."""
    labels = {
        "title": _("标题"), "due_date": _("整改期限"), "changes": _("整改内容"), "comment": _("意见"),
        "area": _("楼栋/地址"),
    }
    values = event.values or {}
    items = [(labels[k], values[k]) for k in labels if values.get(k)]
    if values.get("complaint_ids"):
        items.append((_("关联投诉"), _("%(n)d 件") % {"n": len(values["complaint_ids"])}))
    return format_html_join("", '<div><span class="muted">{}：</span>{}</div>', items)
