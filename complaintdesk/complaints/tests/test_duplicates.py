"""Link or merge two complaints about the same matter (issue 11, duplicates)."""

from __future__ import annotations

import pytest

from complaintdesk.complaints import events, services
from complaintdesk.complaints.choices import ClosureReason, EventType, Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def _pair(org):
    keep = make(org, Status.DISPATCHED)
    dup = receive(org, phone="13700000009", description="同一栋楼，电梯困人，物业迟迟不来")
    return keep, dup


def test_merge_closes_as_duplicate_keeps_its_timeline_and_links_both(org, pinned_clock):
    keep, dup = _pair(org)
    own_events = TimelineEvent.objects.filter(complaint=dup).count()
    services.complaint_merge_duplicate(complaint=dup, actor=org.agent, other=keep.number, reason="同一户同一故障")
    dup.refresh_from_db()
    keep.refresh_from_db()
    assert dup.status == Status.CLOSED and dup.closure_reason == ClosureReason.DUPLICATE
    assert dup.duplicate_of == keep and dup.closed_at is not None
    assert keep.status == Status.DISPATCHED and keep.duplicate_of is None
    assert TimelineEvent.objects.filter(complaint=dup).count() == own_events + 1
    merged = TimelineEvent.objects.get(complaint=dup, type=EventType.DUPLICATE_MERGED)
    assert merged.after["duplicate_of"] == keep.pk and merged.reason == "同一户同一故障"
    linked = TimelineEvent.objects.get(complaint=keep, type=EventType.DUPLICATE_LINKED)
    assert linked.after == {"linked": dup.pk, "linked_number": dup.number, "merged": True}
    assert events.describe(merged) == f"作为重复投诉合并到投诉 {keep.number}"
    assert events.describe(linked) == f"投诉 {dup.number} 作为同一事项的重复投诉合并到本投诉"


def test_link_keeps_both_open(org, pinned_clock):
    keep, dup = _pair(org)
    services.complaint_link_duplicate(complaint=dup, actor=org.supervisor, other=keep, reason="同一事项")
    dup.refresh_from_db()
    assert dup.status == Status.RECEIVED and dup.duplicate_of == keep
    assert TimelineEvent.objects.filter(complaint=keep, type=EventType.DUPLICATE_LINKED).exists()


def test_merge_into_a_merged_complaint_goes_to_its_root(org, pinned_clock):
    keep, dup = _pair(org)
    services.complaint_merge_duplicate(complaint=dup, actor=org.agent, other=keep.number, reason="同一事项")
    third = receive(org, phone="13700000010", description="电梯又困人了")
    services.complaint_merge_duplicate(complaint=third, actor=org.agent, other=dup.number, reason="同一事项")
    third.refresh_from_db()
    assert third.duplicate_of == keep


@pytest.mark.parametrize("other", ["", "TS000", "self"])
def test_bad_target_is_refused_and_nothing_changes(org, pinned_clock, other):
    keep, dup = _pair(org)
    before = TimelineEvent.objects.count()
    with pytest.raises(ValidationFailed):
        services.complaint_merge_duplicate(
            complaint=dup, actor=org.agent, other=dup.number if other == "self" else other, reason="同一事项"
        )
    dup.refresh_from_db()
    assert dup.status == Status.RECEIVED and dup.duplicate_of is None
    assert TimelineEvent.objects.count() == before


def test_reason_is_required(org, pinned_clock):
    keep, dup = _pair(org)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_link_duplicate(complaint=dup, actor=org.agent, other=keep.number, reason="")
    assert "reason" in err.value.errors


def test_handlers_may_not_link_or_merge(org, pinned_clock):
    keep = make(org, Status.HANDLING)
    dup = make(org, Status.HANDLING, phone="13700000011", description="楼道灯坏了")
    with pytest.raises(NotPermitted):
        services.complaint_merge_duplicate(complaint=dup, actor=org.handler, other=keep.number, reason="同一事项")
    assert Complaint.objects.get(pk=dup.pk).duplicate_of is None


def test_closed_complaint_can_be_linked_but_not_merged(org, pinned_clock):
    keep, _dup = _pair(org)
    closed = make(org, Status.CLOSED, phone="13700000012", description="垃圾清运不及时")
    with pytest.raises(InvalidTransition):
        services.complaint_merge_duplicate(complaint=closed, actor=org.agent, other=keep.number, reason="同一事项")
    services.complaint_link_duplicate(complaint=closed, actor=org.agent, other=keep.number, reason="同一事项")
    assert Complaint.objects.get(pk=closed.pk).duplicate_of == keep
