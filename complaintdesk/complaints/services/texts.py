"""Customer-facing texts pass the forbidden-phrase checker here, in the service layer.

A text with violations is refused with the reasons, unless a supervisor explicitly overrides;
the override is written to the timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints import events
from complaintdesk.core import clock
from complaintdesk.core.errors import NotPermitted, ValidationFailed
from complaintdesk.language import services as language_services


def violations_of(text: str) -> list:
    return list(language_services.check_customer_text(text or ""))


describe = language_services.describe_violations


def check_customer_text(*, field: str, text: str, actor, override: bool = False) -> list:
    """Raise :class:`ValidationFailed` for ``field`` when ``text`` breaks the language rules.

    Returns the violations that a supervisor's ``override`` let through (to log them).
    """
    found = violations_of(text)
    if not found:
        return []
    if override:
        if actor is None or not actor.is_supervisor_or_above:
            raise NotPermitted(_("只有主管可以放行含服务禁语的文本。"))
        return found
    raise ValidationFailed({field: describe(found)})


def log_override(*, complaint, actor, field: str, violations) -> None:
    if violations:
        events.write(
            events.language_override(
                complaint=complaint,
                actor_id=getattr(actor, "pk", None),
                now=clock.now(),
                field=field,
                phrases=[v.phrase for v in violations],
            )
        )
