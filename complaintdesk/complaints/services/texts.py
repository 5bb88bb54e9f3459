"""Customer-facing texts pass the forbidden-phrase checker here, in the service layer.

A text with violations is refused with the reasons, unless a supervisor explicitly overrides;
the override is written to the timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import EventType
from complaintdesk.complaints.timeline import record
from complaintdesk.core.errors import NotPermitted, ValidationFailed


def violations_of(text: str) -> list:
    from complaintdesk.language.services import check_customer_text

    return list(check_customer_text(text or ""))


def describe(violations) -> list[str]:
    return [
        _("“%(phrase)s”属于服务禁语（%(rule)s），建议改为：%(suggestion)s")
        % {"phrase": v.phrase, "rule": v.rule, "suggestion": v.suggestion}
        for v in violations
    ]


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
        record(
            complaint=complaint,
            type=EventType.LANGUAGE_OVERRIDE,
            actor=actor,
            from_status=complaint.status,
            after={"field": field, "phrases": [v.phrase for v in violations]},
            reason=_("主管放行了含服务禁语的文本"),
        )
