from complaintdesk.sla.models.calendar_day import CalendarDay, DayKind, DaySource
from complaintdesk.sla.models.policy import EscalationChainStep, NotifyRole, SlaPolicy
from complaintdesk.sla.models.tracking import (
    AlertStage,
    ClockPause,
    DeadlineAlert,
    DeadlineKind,
    ExtensionRequest,
    ExtensionStatus,
    ProgressClock,
    SweepRun,
)

__all__ = [
    "AlertStage",
    "CalendarDay",
    "ClockPause",
    "DayKind",
    "DaySource",
    "DeadlineAlert",
    "DeadlineKind",
    "EscalationChainStep",
    "ExtensionRequest",
    "ExtensionStatus",
    "NotifyRole",
    "ProgressClock",
    "SlaPolicy",
    "SweepRun",
]
