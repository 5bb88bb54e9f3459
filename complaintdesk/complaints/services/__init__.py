"""Every write to a complaint. Views, the API, commands and tasks call these and nothing else."""

from complaintdesk.complaints.services.actions import (
    attachment_orphans_remove,
    complaint_add_attachment,
    complaint_add_note,
    complaint_escalate,
    complaint_log_contact,
    complaint_three_changes,
)
from complaintdesk.complaints.services.closing import (
    complaint_archive,
    complaint_close_exempt,
    complaint_record_visit,
    complaint_reopen,
)
from complaintdesk.complaints.services.handling import (
    complaint_accept_receipt,
    complaint_accept_ticket,
    complaint_approve_plan,
    complaint_dispatch,
    complaint_hand_back,
    complaint_reject_plan,
    complaint_reject_receipt,
    complaint_submit_plan,
    complaint_submit_receipt,
    complaint_transfer,
)
from complaintdesk.complaints.services.intake import complaint_receive
from complaintdesk.complaints.services.review import (
    complaint_classify,
    complaint_resolve_on_spot,
    complaint_review_invalid,
    complaint_review_valid,
    complaint_upgrade_nature,
)

__all__ = [
    "attachment_orphans_remove",
    "complaint_accept_receipt",
    "complaint_accept_ticket",
    "complaint_add_attachment",
    "complaint_add_note",
    "complaint_approve_plan",
    "complaint_archive",
    "complaint_classify",
    "complaint_close_exempt",
    "complaint_dispatch",
    "complaint_escalate",
    "complaint_hand_back",
    "complaint_log_contact",
    "complaint_receive",
    "complaint_record_visit",
    "complaint_reject_plan",
    "complaint_reject_receipt",
    "complaint_reopen",
    "complaint_resolve_on_spot",
    "complaint_review_invalid",
    "complaint_review_valid",
    "complaint_submit_plan",
    "complaint_submit_receipt",
    "complaint_three_changes",
    "complaint_transfer",
    "complaint_upgrade_nature",
]
