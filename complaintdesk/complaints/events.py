"""One typed function per timeline event the system writes, and how every event reads.

An event stores machine values only: its type, the status before and after, ``before``/``after``
dicts of codes, ids, numbers and ISO times, and ``reason`` — what a *person* typed, never a
sentence the system made up. The sentence is rendered when the event is shown, in the reader's
language (:func:`describe`).

Each builder returns an :class:`Event`. The single-complaint path writes it with :func:`write`;
the set-based sweeps insert thousands with :func:`write_many`. Both go through the same builder,
so an event type's payload is defined once (Saleor's ``order/events.py``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import EscalationLevel, EventType, VisitMethod
from complaintdesk.complaints.models import TimelineEvent
from complaintdesk.core.bulk import insert_rows
from complaintdesk.sla.models import DeadlineKind


def jsonable(value: Any) -> Any:
    """Machine values for the JSON columns: ISO times, decimal strings, primary keys."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Event:
    """The machine values of one timeline row."""

    complaint_id: int
    type: str
    created_at: dt.datetime
    from_status: str
    to_status: str = ""
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    reason: str = ""
    actor_id: int | None = None
    idempotency_key: str | None = None

    def row(self) -> dict:
        return {
            "complaint_id": self.complaint_id,
            "type": str(self.type),
            "actor_id": self.actor_id,
            "created_at": self.created_at,
            "from_status": self.from_status,
            "to_status": self.to_status or self.from_status,
            "before": jsonable(self.before),
            "after": jsonable(self.after),
            "reason": self.reason,
            "idempotency_key": self.idempotency_key,
        }


def write(event: Event) -> TimelineEvent | None:
    """Write one event; ``None`` when its ``idempotency_key`` was already recorded."""
    row = TimelineEvent(**event.row())
    if event.idempotency_key is None:
        row.save()
        return row
    if TimelineEvent.objects.filter(idempotency_key=event.idempotency_key).exists():
        return None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


def write_many(events: Sequence[Event]) -> None:
    """Insert a sweep chunk's events in one statement (the caller's locks make keys unique)."""
    insert_rows(TimelineEvent, [e.row() for e in events])


def _status(complaint) -> str:
    return complaint.status


# -- builders ------------------------------------------------------------------------------------


def action(
    *,
    complaint,
    type: str,
    actor_id: int | None,
    now: dt.datetime,
    from_status: str,
    to_status: str,
    before: dict,
    after: dict,
    reason: str = "",
    idempotency_key: str | None = None,
) -> Event:
    """A person's action through the workflow (``services.core.perform``): the fields it changed."""
    return Event(
        complaint_id=complaint.pk,
        type=type,
        created_at=now,
        from_status=from_status,
        to_status=to_status,
        before=before,
        after=after,
        reason=reason,
        actor_id=actor_id,
        idempotency_key=idempotency_key,
    )


def deadline_warning(*, complaint, deadline: str, due_at: dt.datetime, now: dt.datetime, key: str) -> Event:
    """A deadline (or a promised call-back) is near."""
    return Event(
        complaint_id=complaint.pk,
        type=EventType.DEADLINE_WARNING,
        created_at=now,
        from_status=_status(complaint),
        after={"deadline": str(deadline), "due_at": due_at, "source": "sweep"},
        idempotency_key=key,
    )


def deadline_breached(
    *,
    complaint,
    deadline: str,
    due_at: dt.datetime,
    now: dt.datetime,
    level_after: int,
    flag: str | None,
    key: str,
) -> Event:
    """A deadline passed (a missed call-back for ``callback``); the level it escalated to."""
    before: dict = {"escalation_level": complaint.escalation_level}
    after: dict = {"deadline": str(deadline), "due_at": due_at, "escalation_level": level_after, "source": "sweep"}
    if flag:
        before[flag], after[flag] = False, True
    return Event(
        complaint_id=complaint.pk,
        type=EventType.CALLBACK_MISSED if deadline == DeadlineKind.CALLBACK else EventType.DEADLINE_BREACHED,
        created_at=now,
        from_status=_status(complaint),
        before=before,
        after=after,
        idempotency_key=key,
    )


def progress_due(
    *, complaint, due_at: dt.datetime, now: dt.datetime, message_id: int | None, key: str
) -> Event:
    """A long-running case is due a progress update: the SMS sent, or the reminder to staff."""
    return Event(
        complaint_id=complaint.pk,
        type=EventType.NOTIFIED if message_id else EventType.DEADLINE_WARNING,
        created_at=now,
        from_status=_status(complaint),
        after={"deadline": str(DeadlineKind.PROGRESS), "due_at": due_at, "sms": message_id},
        idempotency_key=key,
    )


def clock_paused(*, complaint, now: dt.datetime) -> Event:
    return Event(
        complaint_id=complaint.pk,
        type=EventType.CLOCK_PAUSED,
        created_at=now,
        from_status=_status(complaint),
        after={"clock": "paused"},
    )


def clock_resumed(*, complaint, now: dt.datetime, before: dict, moved: dict, paused_seconds: int) -> Event:
    return Event(
        complaint_id=complaint.pk,
        type=EventType.CLOCK_RESUMED,
        created_at=now,
        from_status=_status(complaint),
        before=before,
        after={"clock": "resumed", "paused_working_seconds": paused_seconds, **moved},
    )


def language_override(*, complaint, actor_id: int | None, now: dt.datetime, field: str, phrases: list[str]) -> Event:
    """A supervisor let a customer-facing text with forbidden phrases through."""
    return Event(
        complaint_id=complaint.pk,
        type=EventType.LANGUAGE_OVERRIDE,
        created_at=now,
        from_status=_status(complaint),
        after={"field": field, "phrases": list(phrases)},
        actor_id=actor_id,
    )


def language_flagged(
    *, complaint, actor_id: int | None, now: dt.datetime, field: str, phrase: str, day: dt.date
) -> Event:
    """The live checker flagged a forbidden phrase while ``actor_id`` was writing ``field`` to the
    customer: once per complaint, author, field, phrase and local day (the hints are re-checked on
    every pause in typing)."""
    return Event(
        complaint_id=complaint.pk,
        type=EventType.LANGUAGE_FLAGGED,
        created_at=now,
        from_status=_status(complaint),
        after={"field": field, "phrases": [phrase]},
        actor_id=actor_id,
        idempotency_key="language_flagged:" + hashlib.sha1(
            f"{complaint.pk}|{actor_id}|{field}|{day.isoformat()}|{phrase}".encode()
        ).hexdigest(),
    )


def language_blocked(*, complaint, actor_id: int | None, now: dt.datetime, field: str, phrases: list[str]) -> Event:
    """A customer-facing text was refused because it holds forbidden phrases (nothing else of the
    submission was stored)."""
    return Event(
        complaint_id=complaint.pk,
        type=EventType.LANGUAGE_BLOCKED,
        created_at=now,
        from_status=_status(complaint),
        after={"field": field, "phrases": list(phrases)},
        actor_id=actor_id,
    )


def visit_scheduled(
    *, complaint, now: dt.datetime, due_at: dt.datetime, assignee_id: int | None, task_id: int, key: str
) -> Event:
    return Event(
        complaint_id=complaint.pk,
        type=EventType.VISIT_SCHEDULED,
        created_at=now,
        from_status=_status(complaint),
        after={"due_at": due_at, "assigned_to": assignee_id, "task": task_id},
        idempotency_key=key,
    )


def repeat_linked(
    *,
    complaint,
    now: dt.datetime,
    repeat_of_id: int,
    repeat_count: int,
    score: float,
    window_days: int,
    filing: int | None = None,
) -> Event:
    return Event(
        complaint_id=complaint.pk,
        type=EventType.REPEAT_LINKED,
        created_at=now,
        from_status=_status(complaint),
        after={
            "repeat_of": repeat_of_id,
            "repeat_count": repeat_count,
            "score": score,
            "window_days": window_days,
            **({"filing": filing} if filing else {}),
        },
    )


def escalated(
    *,
    complaint,
    now: dt.datetime,
    level_before: int,
    level_after: int,
    source: str,
    actor_id: int | None = None,
    signals: dict | None = None,
    reason: str = "",
) -> Event:
    """An escalation the rules made (``source``: intake signals, an unsatisfied visit, …);
    ``signals`` are the machine values behind it (risk evidence, emotion, repeat count)."""
    after: dict = {"escalation_level": level_after, "source": source}
    if signals:
        after["signals"] = signals
    return Event(
        complaint_id=complaint.pk,
        type=EventType.ESCALATED,
        created_at=now,
        from_status=_status(complaint),
        before={"escalation_level": level_before},
        after=after,
        reason=reason,
        actor_id=actor_id,
    )


def campaign_finding(
    *, complaint, now: dt.datetime, actor_id: int, campaign_id: int, campaign_name: str, call_id: int, served_id: int
) -> Event:
    """A proactive return-visit call found a dissatisfied customer: the new complaint's origin."""
    return Event(
        complaint_id=complaint.pk,
        type=EventType.NOTE_ADDED,
        created_at=now,
        from_status=_status(complaint),
        after={
            "campaign": campaign_id,
            "campaign_name": campaign_name,
            "campaign_call": call_id,
            "served_complaint": served_id,
        },
        actor_id=actor_id,
    )


# -- rendering -----------------------------------------------------------------------------------


def imported(
    *, complaint_id: int, status: str, actor_id: int, now: dt.datetime, external_id: str, source: str,
    received_at: dt.datetime, closed_at: dt.datetime, archived_at: dt.datetime | None,
) -> Event:
    """历史数据导入: a finished case brought in from another system, with its own times."""
    return Event(
        complaint_id=complaint_id, type=EventType.IMPORTED, created_at=now, from_status="", to_status=status,
        actor_id=actor_id,
        after={"external_id": external_id, "source": source, "received_at": received_at, "closed_at": closed_at,
               "archived_at": archived_at},
    )


def anonymised(*, complaint_id: int, status: str, now: dt.datetime, policy: str, fields: Sequence[str]) -> Event:
    """个人信息保护: the retention policy blanked the personal data (which fields, by which policy)."""
    return Event(
        complaint_id=complaint_id, type=EventType.ANONYMISED, created_at=now, from_status=status,
        after={"policy": policy, "fields": list(fields)}, idempotency_key=f"anonymised:{complaint_id}",
    )


def _when(value) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if parsed is None:
        return str(value or "")
    return timezone.localtime(parsed).strftime("%m-%d %H:%M")


def _deadline(code) -> str:
    return str(DeadlineKind(code).label) if code in DeadlineKind.values else str(code or "")


def _level(value) -> str:
    try:
        return str(EscalationLevel(int(value)).label)
    except (TypeError, ValueError):
        return str(value or "")


def _warning(after: dict, before: dict) -> str:
    deadline = after.get("deadline")
    if deadline == DeadlineKind.CALLBACK:
        return _("与客户约定的回话时间 %(due)s 即将到达，请按时回电（即使暂无结果也要告知进展）。") % {
            "due": _when(after.get("due_at"))
        }
    if deadline == DeadlineKind.PROGRESS:
        return _("已较长时间未向客户告知进度，请联系客户说明处理进展。")
    return _("%(deadline)s时限 %(due)s 即将到期，请尽快处理。") % {
        "deadline": _deadline(deadline),
        "due": _when(after.get("due_at")),
    }


def _breached(after: dict, before: dict) -> str:
    text = _("%(deadline)s时限 %(due)s 已过") % {
        "deadline": _deadline(after.get("deadline")),
        "due": _when(after.get("due_at")),
    }
    level, was = after.get("escalation_level"), before.get("escalation_level")
    if level is not None and was is not None and int(level) > int(was):
        text += _("，自动升级至%(level)s") % {"level": _level(level)}
    return text


def _notified(after: dict, before: dict) -> str:
    if after.get("deadline") == DeadlineKind.PROGRESS:
        return _("定期向客户告知处理进度（短信）")
    return ""


def _escalated(after: dict, before: dict) -> str:
    source = after.get("source")
    if source == "visit_unsatisfied":
        return _("回访不满意")
    if source != "intake":
        return ""
    signals = after.get("signals") or {}
    parts = []
    if signals.get("risk_evidence") is not None:
        parts.append(_("升级风险高：%(evidence)s") % {"evidence": _("、").join(signals["risk_evidence"])})
    if signals.get("emotion") == "intense":
        parts.append(_("客户情绪激烈"))
    if signals.get("filing"):
        parts.append(_("同一事项第%(n)s次投诉") % {"n": signals["filing"]})
    elif signals.get("repeat_count"):
        parts.append(_("重复投诉第%(n)s次") % {"n": signals["repeat_count"]})
    return _("；").join(parts)


def _repeat(after: dict, before: dict) -> str:
    if "window_days" not in after:
        return ""
    if after.get("filing"):
        # Filings counted as the customer counts them, the original included (issue 11 §6).
        return _("同一客户/电话/地址在%(days)s天内的相似投诉，这是第%(n)s次投诉") % {
            "days": after["window_days"],
            "n": after["filing"],
        }
    return _("同一客户/电话/地址在%(days)s天内的相似投诉，这是第%(n)s次重复") % {
        "days": after["window_days"],
        "n": after.get("repeat_count"),
    }


def _note(after: dict, before: dict) -> str:
    if "campaign_name" in after:
        return _("来自主动回访活动“%(name)s”") % {"name": after["campaign_name"]}
    return ""


def _resumed(after: dict, before: dict) -> str:
    return _("恢复计时，时限顺延")


def _duplicate(after: dict, before: dict) -> str:
    if after.get("linked_number"):
        if after.get("merged"):
            return _("投诉 %(number)s 作为同一事项的重复投诉合并到本投诉") % {"number": after["linked_number"]}
        return _("投诉 %(number)s 与本投诉关联为同一事项") % {"number": after["linked_number"]}
    if after.get("duplicate_number"):
        if after.get("merged"):
            return _("作为重复投诉合并到投诉 %(number)s") % {"number": after["duplicate_number"]}
        return _("与投诉 %(number)s 关联为同一事项") % {"number": after["duplicate_number"]}
    return ""


def _visit_planned(after: dict, before: dict) -> str:
    method = after.get("method")
    return _("列入回访计划：%(date)s %(method)s") % {
        "date": after.get("scheduled_for", ""),
        "method": VisitMethod(method).label if method in VisitMethod.values else "",
    }


def _visit_reviewed(after: dict, before: dict) -> str:
    if after.get("verdict") == "revisit":
        return _("主管审阅回访记录：存疑，退回重访")
    return _("主管审阅回访记录：无误")


_RENDER: dict[str, Callable[[dict, dict], str]] = {
    EventType.DUPLICATE_LINKED: _duplicate,
    EventType.DUPLICATE_MERGED: _duplicate,
    EventType.VISIT_PLANNED: _visit_planned,
    EventType.VISIT_REVIEWED: _visit_reviewed,
    EventType.DEADLINE_WARNING: _warning,
    EventType.DEADLINE_BREACHED: _breached,
    EventType.CALLBACK_MISSED: _breached,
    EventType.NOTIFIED: _notified,
    EventType.ESCALATED: _escalated,
    EventType.REPEAT_LINKED: _repeat,
    EventType.NOTE_ADDED: _note,
    EventType.CLOCK_PAUSED: lambda after, before: _("等待客户，时限暂停计时"),
    EventType.CLOCK_RESUMED: _resumed,
    EventType.LANGUAGE_OVERRIDE: lambda after, before: _("主管放行了含服务禁语的文本：%(phrases)s")
    % {"phrases": _("、").join(after.get("phrases") or [])},
    EventType.LANGUAGE_FLAGGED: lambda after, before: _("撰写给客户的文本时出现服务禁语：%(phrases)s")
    % {"phrases": _("、").join(after.get("phrases") or [])},
    EventType.LANGUAGE_BLOCKED: lambda after, before: _("含服务禁语的文本被拦截，未提交：%(phrases)s")
    % {"phrases": _("、").join(after.get("phrases") or [])},
    EventType.IMPORTED: lambda after, before: _("从历史数据导入（原编号 %(id)s，文件 %(source)s）")
    % {"id": after.get("external_id") or "", "source": after.get("source") or ""},
    EventType.ANONYMISED: lambda after, before: _("超过保存期限，客户姓名、电话、地址和附件已按保存政策删除"),
    EventType.VISIT_SCHEDULED: lambda after, before: _("处理完毕，安排客服中心回访，%(due)s 前完成")
    % {"due": _when(after.get("due_at"))},
}


def describe(event) -> str:
    """The system's sentence for ``event`` in the active language ("" when a person's own words,
    ``event.reason``, say it all)."""
    render = _RENDER.get(event.type)
    return render(event.after or {}, event.before or {}) if render else ""


def describe_all(events: Iterable) -> None:
    """Attach ``.summary`` to each event (templates and the API read it)."""
    for event in events:
        event.summary = describe(event)
