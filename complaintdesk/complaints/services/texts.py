"""Customer-facing texts pass the forbidden-phrase checker here, in the service layer.

A text with violations is refused with the reasons, unless a supervisor explicitly overrides;
the override is written to the timeline. For 服务用语质检 (SPEC §7, issue 9) the timeline also
keeps, on the complaint the text was for, each refusal (``language_blocked``) and each phrase the
live checker flagged while the text was being written (``language_flagged``, once per author,
field, phrase and day).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from complaintdesk.complaints import events
from complaintdesk.complaints.models import Complaint
from complaintdesk.core import changes, clock
from complaintdesk.core.errors import NotPermitted, ValidationFailed
from complaintdesk.language import services as language_services
from complaintdesk.sla.calendar import SHANGHAI


def violations_of(text: str) -> list:
    return list(language_services.check_customer_text(text or ""))


describe = language_services.describe_violations


def _phrases(violations) -> list[str]:
    return list(dict.fromkeys(v.phrase for v in violations))


@contextmanager
def _changing(complaint) -> Iterator[None]:
    """A text event is written with the complaint's row locked, and the reports' text tallies move
    with it (``core.changes``)."""
    pk = complaint.pk if isinstance(complaint, Complaint) else int(complaint)
    with transaction.atomic():
        Complaint.objects.select_for_update(no_key=True).filter(pk=pk).values_list("pk").first()
        with changes.complaints_changing([pk]):
            yield


def check_customer_text(*, field: str, text: str, actor, override: bool = False, complaint=None) -> list:
    """Raise :class:`ValidationFailed` for ``field`` when ``text`` breaks the language rules.

    Returns the violations that a supervisor's ``override`` let through (to log them). A refusal
    is recorded on ``complaint`` (when given) before the error is raised; the submission itself
    stores nothing.
    """
    found = violations_of(text)
    if not found:
        return []
    if override:
        if actor is None or not actor.is_supervisor_or_above:
            raise NotPermitted(_("只有主管可以放行含服务禁语的文本。"))
        return found
    if complaint is not None:
        with _changing(complaint):
            events.write(
                events.language_blocked(
                    complaint=complaint,
                    actor_id=getattr(actor, "pk", None),
                    now=clock.now(),
                    field=field,
                    phrases=_phrases(found),
                )
            )
    raise ValidationFailed({field: describe(found)})


def flag_customer_text(*, complaint, actor, field: str, text: str) -> list:
    """The live check while ``actor`` writes ``field`` of ``complaint`` to the customer: returns
    the violations (the hints) and records each flagged phrase once per day."""
    found = violations_of(text)
    if not found:
        return found
    now = clock.now()
    day = now.astimezone(SHANGHAI).date()
    with _changing(complaint):
        for phrase in _phrases(found):
            events.write(
                events.language_flagged(
                    complaint=complaint, actor_id=getattr(actor, "pk", None), now=now, field=field[:60],
                    phrase=phrase, day=day,
                )
            )
    return found


def log_override(*, complaint, actor, field: str, violations) -> None:
    if not violations:
        return
    with _changing(complaint):
        events.write(
            events.language_override(
                complaint=complaint,
                actor_id=getattr(actor, "pk", None),
                now=clock.now(),
                field=field,
                phrases=_phrases(violations),
            )
        )
