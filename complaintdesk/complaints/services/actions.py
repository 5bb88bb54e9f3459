"""Actions that keep the state: escalation, 三变法, contacts, notes, attachments."""

from __future__ import annotations

import datetime as dt
import os

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import ContactKind, EscalationLevel, EventType, ThreeChanges
from complaintdesk.complaints.models import Attachment, Complaint, ContactLog
from complaintdesk.complaints.services.core import Change, aware, perform, require
from complaintdesk.complaints.services.texts import check_customer_text, log_override
from complaintdesk.complaints.uploads import validate_upload
from complaintdesk.core import clock, limits
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.org.models import Role, User


def complaint_escalate(
    *,
    complaint_id: int | None = None,
    complaint: Complaint | None = None,
    actor=None,
    reason: str,
    level: int | None = None,
    idempotency_key: str | None = None,
    source: str = "manual",
) -> Complaint | None:
    """服务上移 one level (or to ``level``). ``actor=None`` is the system (a sweep).

    With an ``idempotency_key`` a second call for the same cause does nothing and returns ``None``.
    """
    require({"reason": (reason or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON)})
    target = complaint if complaint is not None else complaint_id

    def apply(c: Complaint) -> Change:
        new_level = min(level if level is not None else c.escalation_level + 1, EscalationLevel.MANAGEMENT)
        if new_level <= c.escalation_level:
            if level is None:
                raise ValidationFailed({"level": [_("已是最高升级层级。")]})
            raise ValidationFailed({"level": [_("只能向上升级。")]})
        return Change(
            fields={"escalation_level": new_level, "escalated_at": clock.now()},
            reason=reason.strip(),
            after_extra={"source": source},
        )

    return perform(
        complaint=target,
        action="escalate",
        actor=actor,
        event_type=EventType.ESCALATED,
        apply=apply,
        emit=["complaint.escalated"],
        idempotency_key=idempotency_key,
    )


def complaint_three_changes(
    *,
    complaint,
    actor,
    changes: list[str],
    reason: str,
    new_handler: User | None = None,
    place: str = "",
    contact_time: dt.datetime | None = None,
) -> Complaint:
    """三变法 (002): for an aggressive case, change the person, the place or the time of contact."""
    changes = [c for c in changes or [] if c]
    require({"changes": changes, "reason": (reason or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON), "place": (place, limits.SHORT)})
    if any(c not in ThreeChanges.values for c in changes):
        raise ValidationFailed({"changes": [_("选项无效。")]})
    if ThreeChanges.PERSON in changes and new_handler is None:
        raise ValidationFailed({"new_handler": [_("换人时请选择新的处理人。")]})
    if ThreeChanges.PLACE in changes and not place.strip():
        raise ValidationFailed({"place": [_("换地点时请填写新的沟通地点。")]})
    if ThreeChanges.TIME in changes and contact_time is None:
        raise ValidationFailed({"contact_time": [_("换时间时请填写新的联系时间。")]})
    contact_time = aware(contact_time)
    limits.check_future("contact_time", contact_time)

    def apply(c: Complaint) -> Change:
        fields = {}
        if ThreeChanges.PERSON in changes:
            if new_handler.role != Role.HANDLER or new_handler.department_id != c.department_id:
                raise ValidationFailed({"new_handler": [_("新处理人必须是责任部门的处理人。")]})
            if new_handler.pk == c.handler_id:
                raise ValidationFailed({"new_handler": [_("新处理人与当前相同。")]})
            fields["handler"] = new_handler
        if ThreeChanges.TIME in changes:
            fields["next_callback_due_at"] = contact_time
        return Change(fields=fields, reason=reason.strip(), after_extra={"changes": changes, "place": place.strip()})

    return perform(complaint=complaint, action="three_changes", actor=actor, event_type=EventType.THREE_CHANGES, apply=apply)


CUSTOMER_FACING = {ContactKind.PROGRESS_UPDATE, ContactKind.FIRST_ANSWER, ContactKind.CALLBACK_DONE}


def complaint_log_contact(
    *,
    complaint,
    actor,
    kind: str,
    note: str,
    promised_for: dt.datetime | None = None,
    override_language: bool = False,
) -> Complaint:
    """A contact with the customer. A promise (约定回话) sets the next call-back deadline;
    a call-back made clears it (a new promise can be made at the same time)."""
    if kind not in ContactKind.values:
        raise ValidationFailed({"kind": [_("联系类型无效。")]})
    require({"note": (note or "").strip()})
    limits.check_texts({"note": (note, limits.TEXT)})
    promised_for = aware(promised_for)
    if kind == ContactKind.CALLBACK_PROMISED:
        require({"promised_for": promised_for})
        if promised_for <= clock.now():
            raise ValidationFailed({"promised_for": [_("约定回话时间必须晚于现在。")]})
    limits.check_future("promised_for", promised_for)
    passed = []
    if kind in CUSTOMER_FACING:
        passed = check_customer_text(
            field="note", text=note, actor=actor, override=override_language, complaint=complaint
        )

    def apply(c: Complaint) -> Change:
        now = clock.now()
        log_override(complaint=c, actor=actor, field="note", violations=passed)
        ContactLog.objects.create(complaint=c, kind=kind, note=note.strip(), promised_for=promised_for, by=actor, at=now)
        fields = {}
        if kind == ContactKind.CALLBACK_PROMISED:
            fields["next_callback_due_at"] = promised_for
        elif kind == ContactKind.CALLBACK_DONE:
            fields["next_callback_due_at"] = promised_for
        if kind in CUSTOMER_FACING and c.first_answered_at is None:
            fields["first_answered_at"] = now
        return Change(fields=fields, reason=note.strip(), after_extra={"kind": kind})

    return perform(
        complaint=complaint,
        action="log_contact",
        actor=actor,
        event_type=EventType.CONTACT_LOGGED,
        apply=apply,
        emit=["complaint.contacted"],
    )


def complaint_add_note(*, complaint, actor, text: str) -> Complaint:
    require({"text": (text or "").strip()})
    limits.check_texts({"text": (text, limits.TEXT)})
    return perform(
        complaint=complaint,
        action="add_note",
        actor=actor,
        event_type=EventType.NOTE_ADDED,
        apply=lambda c: Change(reason=text.strip()),
    )


def complaint_add_attachment(*, complaint, actor, upload: UploadedFile) -> Attachment:
    """Store the file and its row in one step. The file is written under a random name (the
    customer's name is kept only in the row); if the transaction does not commit, the file is
    deleted again, and :func:`attachment_orphans_remove` sweeps what a killed process left."""
    content_type = validate_upload(upload)
    holder: dict = {}

    def apply(c: Complaint) -> Change:
        attachment = Attachment(
            complaint=c,
            original_name=os.path.basename(upload.name)[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
            created_at=clock.now(),
        )
        attachment.file.save(os.path.basename(upload.name), upload, save=False)
        holder["stored"] = attachment.file.name
        attachment.save()
        holder["attachment"] = attachment
        return Change(after_extra={"attachment": attachment.pk, "name": attachment.original_name, "size": attachment.size})

    try:
        with transaction.atomic():
            perform(complaint=complaint, action="add_attachment", actor=actor, event_type=EventType.ATTACHMENT_ADDED, apply=apply)
    except BaseException:
        if holder.get("stored"):
            default_storage.delete(holder["stored"])
        raise
    return holder["attachment"]


ORPHAN_GRACE = dt.timedelta(hours=1)


def attachment_orphans_remove(*, older_than: dt.timedelta = ORPHAN_GRACE) -> int:
    """Delete stored attachment files that no row points to (a process killed between writing the
    file and committing, or a caller's transaction that rolled back). Files younger than
    ``older_than`` are left alone: their upload may still be committing. Safe to run twice."""
    storage = default_storage
    root = "attachments"
    if not storage.exists(root):
        return 0
    cutoff = clock.now() - older_than
    removed = 0
    folders, _files = storage.listdir(root)
    for start in range(0, len(folders), 200):
        candidates = []
        for folder in folders[start : start + 200]:
            _sub, files = storage.listdir(f"{root}/{folder}")
            candidates.extend(f"{root}/{folder}/{name}" for name in files)
        if not candidates:
            continue
        known = set(Attachment.objects.filter(file__in=candidates).values_list("file", flat=True))
        for name in candidates:
            if name not in known and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                removed += 1
    return removed
