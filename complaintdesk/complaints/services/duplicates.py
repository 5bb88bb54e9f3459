"""Two complaints about the same matter: link them, or merge one into the other (issue 11).

Merging closes the merged complaint as a duplicate (closure reason ``duplicate``); its own timeline
is kept, and both timelines show the link. Only the service centre and supervisors may do it (the
workflow table's ``desk`` relation)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import ClosureReason, EventType, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.core import Change, perform, require
from complaintdesk.complaints.timeline import record
from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed


def _other(value, complaint_id: int) -> Complaint:
    if isinstance(value, Complaint):
        other = value
    else:
        text = str(value or "").strip().upper()
        other = Complaint.objects.filter(number=text).first() if text else None
        if other is None and text.isdigit():
            other = Complaint.objects.filter(pk=int(text)).first()
    if other is None:
        raise ValidationFailed({"other": [_("找不到该投诉编号。")]})
    if other.pk == complaint_id:
        raise ValidationFailed({"other": [_("不能与投诉本身关联。")]})
    return other


def _link(*, complaint, actor, other, reason: str, merge: bool) -> Complaint:
    require({"reason": (reason or "").strip()})
    target = _other(other, complaint.pk if isinstance(complaint, Complaint) else complaint)

    def apply(c: Complaint) -> Change:
        root = target
        if root.duplicate_of_id and root.closure_reason == ClosureReason.DUPLICATE:
            # Merged into a complaint that was itself merged: keep one root per matter.
            root = Complaint.objects.get(pk=root.duplicate_of_id)
        if root.pk == c.pk or (merge and root.duplicate_of_id == c.pk):
            raise ValidationFailed({"other": [_("该投诉已合并到本投诉，不能反向合并。")]})
        if root.status == Status.ARCHIVED and merge:
            raise ValidationFailed({"other": [_("不能合并到已归档的投诉，请先由主管重新打开。")]})
        fields: dict = {"duplicate_of": root}
        if merge:
            fields.update(closure_reason=ClosureReason.DUPLICATE, closed_at=clock.now())
        record(
            complaint=root,
            type=EventType.DUPLICATE_LINKED,
            actor=actor,
            from_status=root.status,
            after={"linked": c.pk, "linked_number": c.number, "merged": merge},
            reason=reason.strip(),
        )
        return Change(
            fields=fields,
            reason=reason.strip(),
            after_extra={"duplicate_number": root.number, "merged": merge},
        )

    return perform(
        complaint=complaint,
        action="merge_duplicate" if merge else "link_duplicate",
        actor=actor,
        event_type=EventType.DUPLICATE_MERGED if merge else EventType.DUPLICATE_LINKED,
        apply=apply,
        emit=["complaint.closed"] if merge else [],
    )


def complaint_link_duplicate(*, complaint, actor, other, reason: str) -> Complaint:
    """Mark ``complaint`` as the same matter as ``other`` (a number or a complaint); both stay open."""
    return _link(complaint=complaint, actor=actor, other=other, reason=reason, merge=False)


def complaint_merge_duplicate(*, complaint, actor, other, reason: str) -> Complaint:
    """Close ``complaint`` as a duplicate of ``other``; handling continues on ``other``."""
    return _link(complaint=complaint, actor=actor, other=other, reason=reason, merge=True)
