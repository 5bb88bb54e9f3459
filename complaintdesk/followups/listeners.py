"""Visit tasks follow the complaint: scheduled when handling is accepted, closed after the visit."""

from complaintdesk.core import hooks
from complaintdesk.followups.services import visit_task_close, visit_task_schedule


@hooks.on("complaint.handled")
def on_handled(*, complaint_id: int, **_kw) -> None:
    visit_task_schedule(complaint_id=complaint_id)


@hooks.on("complaint.visited")
@hooks.on("complaint.closed")
@hooks.on("complaint.reopened")
def on_visited(*, complaint_id: int, **_kw) -> None:
    visit_task_close(complaint_id=complaint_id)
