"""Small display helpers: status badges (colour plus text), durations, timeline changes."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import (
    ContactKind,
    Dimension,
    Status,
    VisitOutcome,
)
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors import NAV_COUNT_CAP, next_deadline
from complaintdesk.core import clock
from complaintdesk.web import fields, rows
from complaintdesk.web.selectors import REFERENCES

register = template.Library()


@register.filter
def nav_count(n) -> str:
    """A navigation count: counts above the cap are shown as "999+" (they were not read in full)."""
    return f"{NAV_COUNT_CAP}+" if isinstance(n, int) and n > NAV_COUNT_CAP else str(n)

_FIELDS = {f.name: f for f in Complaint._meta.get_fields() if hasattr(f, "verbose_name")}
_HIDDEN = {"updated_at", "suggestions", "answers", "first_owner", "duplicate_of"}


register.simple_tag(rows.status_badge, name="status_badge")
register.simple_tag(rows.escalation_badge, name="escalation_badge")
register.filter("working_duration", rows.working_duration)


@register.simple_tag
def form_field(field) -> str:
    """A field with its label, help text, errors and phrase tools (``web/fields.py``)."""
    return fields.field_html(field)


@register.simple_tag
def queue_rows(complaints, bulk=False) -> str:
    """The rows of a queue page, built in Python (``web/rows.py``)."""
    return rows.queue_rows(complaints, bulk=bool(bulk))


def _display(name: str, value, event=None) -> str:
    if value in (None, "", [], {}):
        return "—"
    if name == "chosen_plan" and isinstance(value, int):
        options = (event.after or {}).get("plan_options") if event is not None else None
        if options and 0 <= value < len(options):
            return options[value]
    if name in _CHOICES:
        return str(dict(_CHOICES[name].choices).get(value, value))
    field = _FIELDS.get(name)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        parsed = parse_datetime(value)
        if parsed is not None:
            return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return _("；").join(str(v) for v in value)
    if isinstance(value, dict):
        labels = dict(Dimension.choices) if name == "satisfaction_dimensions" else {}
        return _("、").join(f"{labels.get(k, k)} {v}" for k, v in value.items())
    return str(value)


@register.filter
def event_changes(event, names=None) -> list[tuple[str, str, str]]:
    """(field label, before, after) for the complaint fields an event changed, for the timeline.
    ``names`` maps referenced ids to display names (see ``timeline_names``)."""
    rows = []
    names = names or {}
    before = event.before or {}
    for name, after in (event.after or {}).items():
        if name in _HIDDEN or name in {"number", "channel"} and event.type == "received":
            continue
        field = _FIELDS.get(name)
        label = field.verbose_name if field is not None else _EXTRA_LABELS.get(name)
        if label is None or name == "repeat_of":
            continue
        if name in REFERENCES:
            lookup = names.get(REFERENCES[name], {})
            old = str(lookup.get(before.get(name), "—")) if name in before else ""
            new = str(lookup.get(after, "—"))
        else:
            old = _display(name, before.get(name), event) if name in before else ""
            new = _display(name, after, event)
        if name in before and old == new:
            continue  # unchanged (否 → 否, — → —): nothing to say
        if not old and new == "—":
            continue
        rows.append((str(label), "" if old == "—" else old, new))
    return rows


_CONTACT_EVENTS = {"contact_logged", "notified", "visited", "returned_to_department"}
_SYSTEM_EVENTS = {
    "deadline_warning", "deadline_breached", "callback_missed", "clock_paused", "clock_resumed",
    "visit_scheduled", "repeat_linked",
}


@register.filter
def event_group(event) -> str:
    """Which timeline filter shows an event: contacts and messages, decisions, or system events."""
    if event.type in _CONTACT_EVENTS:
        return "contact"
    if event.type in _SYSTEM_EVENTS or not event.actor_id:
        return "system"
    return "decision"


@register.filter
def event_summary(event) -> str:
    """The system's sentence for an event, in the reader's language (see ``complaints.events``)."""
    return events.describe(event)


_EXTRA_LABELS = {
    "outcome": gettext_lazy("回访结果"),
    "kind": gettext_lazy("联系类型"),
    "changes": gettext_lazy("三变法"),
    "place": gettext_lazy("沟通地点"),
    "name": gettext_lazy("文件"),
    "needs_approval": gettext_lazy("需主管批示"),
    "repeat_count": gettext_lazy("重复次数"),
}
_CHOICES = {"kind": ContactKind, "outcome": VisitOutcome}


@register.filter
def field(form, name: str):
    return form[name]


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def percent(value) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def status_label(code: str) -> str:
    return Status(code).label if code in Status.values else (code or "—")


DEADLINE_LABELS = rows.DEADLINE_LABELS


@register.simple_tag
def next_clock(complaint) -> dict | None:
    """The row's nearest pending deadline: which one, when, and the time left (no query)."""
    found = next_deadline(complaint)
    if found is None:
        return None
    code, due = found
    left = due - clock.now()
    return {"code": code, "label": DEADLINE_LABELS[code], "due": due, "left": left,
            "seconds": int(left.total_seconds()), "overdue": left.total_seconds() < 0}


@register.simple_tag
def repeat_window_days() -> int:
    """The window repeat complaints are counted in (for "该客户30天内已投诉过1次相似问题")."""
    return settings.COMPLAINTDESK_REPEAT_WINDOW_DAYS


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


@register.simple_tag
def colon() -> str:
    """A label's colon in the reader's script: full-width in Chinese, ": " in English."""
    return "：" if _chinese() else ": "


@register.simple_tag
def paren(text) -> str:
    """Text in brackets in the reader's script: （…） in Chinese, " (…)" in English."""
    return f"（{text}）" if _chinese() else f" ({text})"
