from complaintdesk.sla.models.calendar_day import CalendarDay, DayKind, DaySource
from complaintdesk.sla.models.policy import EscalationChainStep, NotifyRole, SlaPolicy

__all__ = ["CalendarDay", "DayKind", "DaySource", "EscalationChainStep", "NotifyRole", "SlaPolicy"]
