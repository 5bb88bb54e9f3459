"""The periodic sweeps, by name. ``complaintdesk/sla/schedule.py`` says how often each runs."""

from __future__ import annotations

from complaintdesk.enforcement.sweeps.engine import Sweep, run_sweep
from complaintdesk.enforcement.sweeps.rules import (
    _breach_sweep,
    _calendar_act,
    _calendar_find,
    _outbound_act,
    _outbound_find,
    _progress_act,
    _progress_find,
    _visit_schedule_act,
    _visit_schedule_find,
    _warning_sweep,
)
from complaintdesk.sla.models import DeadlineKind

K = DeadlineKind


def _make() -> dict[str, Sweep]:
    sweeps = [
        Sweep("first_answer_warning", "首次答复预警", *_warning_sweep(K.FIRST_ANSWER)),
        Sweep("implement_warning", "方案实施预警", *_warning_sweep(K.IMPLEMENT)),
        Sweep("first_answer_breach", "首次答复超时升级", *_breach_sweep(K.FIRST_ANSWER)),
        Sweep("implement_breach", "方案实施超时升级", *_breach_sweep(K.IMPLEMENT)),
        Sweep("callback_reminder", "约定回话提醒", *_warning_sweep(K.CALLBACK)),
        Sweep("callback_missed", "约定回话未履行", *_breach_sweep(K.CALLBACK)),
        Sweep("progress_update", "进度告知", _progress_find, _progress_act),
        Sweep("visit_schedule", "安排回访", _visit_schedule_find, _visit_schedule_act),
        Sweep("visit_overdue", "回访超时升级", *_breach_sweep(K.VISIT)),
        Sweep("calendar_ending", "工作日历到期提醒", _calendar_find, _calendar_act),
        Sweep("outbound_retry", "短信重发", _outbound_find, _outbound_act),
    ]
    return {s.name: s for s in sweeps}


SWEEPS: dict[str, Sweep] = _make()


def run(name: str, **kwargs):
    return run_sweep(SWEEPS[name], **kwargs)


def run_all(**kwargs) -> list:
    return [run_sweep(s, **kwargs) for s in SWEEPS.values()]


__all__ = ["SWEEPS", "Sweep", "run", "run_all", "run_sweep"]
