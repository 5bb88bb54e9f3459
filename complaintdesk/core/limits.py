"""Bounds on what people and other systems may send: text lengths, list sizes and dates.

The services check them (so the web forms, the API, commands and tasks all get the same limits);
the API serializers and web forms repeat the lengths only to say so earlier and in the schema.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed

# Maximum lengths in characters.
NAME = 60
SHORT = 200
REASON = 2000
TEXT = 5000
DESCRIPTION = 20000
PLAN_OPTION = 1000
PLAN_OPTIONS = 10

# How far from now a date people promise or plan may lie.
FUTURE = dt.timedelta(days=366)


def check_texts(values: dict[str, tuple[str | None, int]]) -> None:
    """Raise one error naming every text that is too long or carries a NUL character."""
    errors: dict[str, list[str]] = {}
    for name, (value, limit) in values.items():
        if not value:
            continue
        if "\x00" in value:
            errors[name] = [_("不能包含空字符。")]
        elif len(value) > limit:
            errors[name] = [_("不能超过%(limit)s个字符（现有%(n)s个）。") % {"limit": limit, "n": len(value)}]
    if errors:
        raise ValidationFailed(errors)


def check_list(name: str, values: list | None, limit: int) -> None:
    if values and len(values) > limit:
        raise ValidationFailed({name: [_("最多%(limit)s项。") % {"limit": limit}]})


def check_future(name: str, value: dt.datetime | None, *, horizon: dt.timedelta = FUTURE) -> None:
    """A promised or planned moment: later than now and within ``horizon`` (a year by default)."""
    if value is None:
        return
    now = clock.now()
    try:
        too_late = value > now + horizon
        too_early = value <= now
    except (OverflowError, TypeError):
        too_late, too_early = True, False
    if too_early:
        raise ValidationFailed({name: [_("时间必须晚于现在。")]})
    if too_late:
        raise ValidationFailed({name: [_("时间不能晚于%(days)s天之后。") % {"days": horizon.days}]})
