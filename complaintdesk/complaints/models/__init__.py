from complaintdesk.complaints.models.attachment import Attachment
from complaintdesk.complaints.models.complaint import Category, Complaint, ContactLog
from complaintdesk.complaints.models.intake_key import IntakeKey
from complaintdesk.complaints.models.records import PlanRecord, VisitOutcome, VisitRecord
from complaintdesk.complaints.models.timeline import TimelineEvent

__all__ = [
    "Attachment",
    "Category",
    "Complaint",
    "ContactLog",
    "IntakeKey",
    "PlanRecord",
    "TimelineEvent",
    "VisitOutcome",
    "VisitRecord",
]
