"""受理: taking a complaint in, and what follows immediately (suggestions, repeats, escalation)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import (
    PRIORITY_ORDER,
    Channel,
    Emotion,
    EscalationLevel,
    EscalationRisk,
    EventType,
    Priority,
    Psychology,
    Status,
)
from complaintdesk.complaints.models import Category, Complaint, IntakeKey
from complaintdesk.complaints.services.core import aware, require
from complaintdesk.complaints.timeline import record
from complaintdesk.core import changes, clock, hooks, limits
from complaintdesk.core.errors import Conflict, NotPermitted, ValidationFailed
from complaintdesk.core.sequences import next_value
from complaintdesk.customers.services import customer_get_or_create, phone_clean
from complaintdesk.org.models import Role

log = logging.getLogger(__name__)

INTAKE_ROLES = {Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
SUGGESTED_FIELDS = ("nature", "category", "dimension", "emotion", "escalation_risk")


def _number(at: dt.datetime) -> str:
    day = timezone.localtime(at).strftime("%Y%m%d")
    return f"TS{day}{next_value('complaint:' + day):05d}"


def _suggest(text: str) -> dict:
    from complaintdesk.language.services import suggest

    return suggest(text)


def _raise_priority(priority: str) -> str:
    index = PRIORITY_ORDER.index(Priority(priority))
    return PRIORITY_ORDER[min(index + 1, len(PRIORITY_ORDER) - 1)]


def find_repeat_original(*, customer_id: int, phone: str, address: str, text: str, at: dt.datetime):
    """The earlier complaint this one repeats, if any (SPEC §5, seed 002).

    Candidates come from indexed lookups only — by customer, by phone, by address — inside the
    window; the text similarity is then scored on that handful of rows.
    """
    from complaintdesk.language.services import REPEAT_SIMILARITY_THRESHOLD, repeat_similarity

    since = at - dt.timedelta(days=settings.COMPLAINTDESK_REPEAT_WINDOW_DAYS)
    fields = ["id", "subject", "description", "repeat_of_id", "received_at"]
    window = Complaint.objects.filter(received_at__gte=since, received_at__lte=at).only(*fields)
    candidates = {c.pk: c for c in window.filter(customer_id=customer_id).order_by("-received_at")[:50]}
    candidates.update({c.pk: c for c in window.filter(contact_phone=phone).order_by("-received_at")[:50]})
    if address:
        candidates.update({c.pk: c for c in window.filter(address=address).order_by("-received_at")[:50]})
    best, best_score = None, 0.0
    for candidate in candidates.values():
        score = repeat_similarity(text, f"{candidate.subject} {candidate.description}")
        if score >= REPEAT_SIMILARITY_THRESHOLD and score > best_score:
            best, best_score = candidate, score
    return best, best_score


def complaint_receive(
    *,
    actor,
    phone: str,
    customer_name: str = "",
    salutation: str = "",
    address: str = "",
    room: str = "",
    preferred_language: str = "",
    channel: str = Channel.PHONE,
    subject: str,
    description: str,
    demand: str = "",
    about_person: str = "",
    emotion: str = "",
    psychology: list[str] | None = None,
    category: Category | None = None,
    received_at: dt.datetime | None = None,
    portal: bool = False,
) -> Complaint:
    """Record a new complaint; ``actor`` becomes its 首问责任人 for life.

    Returns the saved complaint with its number and ``first_answer_due_at`` (the promised time).
    """
    from complaintdesk.sla.deadlines import first_answer_due, policy_for, progress_update_due
    from complaintdesk.sla.models import ProgressClock

    if actor.role not in INTAKE_ROLES:
        raise NotPermitted(_("只有客服中心人员可以受理投诉。"))
    require({"phone": phone, "subject": (subject or "").strip(), "description": (description or "").strip()})
    limits.check_texts({
        "phone": (phone, 30),
        "customer_name": (customer_name, limits.NAME),
        "address": (address, limits.SHORT),
        "room": (room, 40),
        "preferred_language": (preferred_language, 40),
        "subject": (subject, limits.SHORT),
        "about_person": (about_person, 100),
        "description": (description, limits.DESCRIPTION),
        "demand": (demand, limits.REASON),
    })
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = [_("渠道无效。")]
    if emotion and emotion not in Emotion.values:
        errors["emotion"] = [_("情绪等级无效。")]
    bad_psychology = [p for p in psychology or [] if p not in Psychology.values]
    if bad_psychology:
        errors["psychology"] = [_("客户心理选项无效。")]
    if len(subject) > 200:
        errors["subject"] = [_("投诉事项不能超过200字。")]
    if errors:
        raise ValidationFailed(errors)
    phone_number = phone_clean(phone)
    at = aware(received_at) or clock.now()
    text = f"{subject}\n{description}\n{demand}"
    suggestions = _suggest(text)

    with transaction.atomic():
        customer, _created = customer_get_or_create(
            phone=phone_number,
            name=customer_name,
            salutation=salutation,
            address=address,
            room=room,
            preferred_language=preferred_language,
        )
        place = " ".join(p for p in (address or customer.address, room or customer.room) if p).strip()
        suggested_category = None
        code = suggestions.get("category", {}).get("label")
        if category is None and code:
            suggested_category = Category.objects.filter(code=code, active=True).first()
        suggested_emotion = suggestions.get("emotion", {}).get("label", Emotion.CALM)
        risk = suggestions.get("escalation_risk", {}).get("label", EscalationRisk.LOW)
        complaint = Complaint(
            status=Status.RECEIVED,
            customer=customer,
            contact_phone=phone_number,
            address=place[:200],
            channel=channel,
            received_at=at,
            first_owner=actor,
            subject=subject.strip(),
            about_person=about_person,
            description=description.strip(),
            demand=demand.strip(),
            emotion=emotion or suggested_emotion,
            psychology=list(psychology or []),
            portal_submitted=portal,
            category=category or suggested_category,
            nature=suggestions.get("nature", {}).get("label") or "valid",
            dimension=suggestions.get("dimension", {}).get("label", ""),
            escalation_risk=risk if risk in EscalationRisk.values else EscalationRisk.LOW,
            suggestions=suggestions,
        )
        # One read of the policies for both clocks, unless a repeat raises the priority below.
        policy, policy_key = policy_for(complaint.category_id, complaint.priority), complaint.priority
        complaint.first_answer_due_at = first_answer_due(
            received_at=at, category_id=complaint.category_id, priority=complaint.priority, policy=policy
        )
        original, score = find_repeat_original(
            customer_id=customer.pk, phone=complaint.contact_phone, address=complaint.address, text=text, at=at
        )
        if original is not None:
            root_id = original.repeat_of_id or original.pk
            complaint.repeat_of_id = root_id
            complaint.repeat_count = Complaint.objects.filter(repeat_of_id=root_id).count() + 1
            complaint.priority = _raise_priority(complaint.priority)
        # The day's number last: its counter row stays locked until commit, and every other intake
        # of the day waits for it, so nothing slow (deadlines, the repeat lookup) runs under it.
        progress_due = progress_update_due(since=at, category_id=complaint.category_id, priority=complaint.priority,
                                           policy=policy if complaint.priority == policy_key else None)
        complaint.number = _number(at)
        complaint.save()
        record(
            complaint=complaint,
            type=EventType.RECEIVED,
            actor=actor,
            to_status=Status.RECEIVED,
            after={
                "number": complaint.number,
                "channel": channel,
                "first_owner": actor.pk,
                "first_answer_due_at": complaint.first_answer_due_at,
                "suggestions": {k: v.get("label") for k, v in suggestions.items()},
            },
        )
        if original is not None:
            events.write(
                events.repeat_linked(
                    complaint=complaint,
                    now=clock.now(),
                    repeat_of_id=complaint.repeat_of_id,
                    repeat_count=complaint.repeat_count,
                    filing=complaint.filing_number,
                    score=score,
                    window_days=settings.COMPLAINTDESK_REPEAT_WINDOW_DAYS,
                )
            )
        signals: dict = {}
        if complaint.escalation_risk == EscalationRisk.HIGH:
            # The customer's own words that carry the risk (the emotion is its own signal).
            evidence = suggestions.get("escalation_risk", {}).get("evidence", [])
            signals["risk_evidence"] = [term for term in evidence if term in text]
        if complaint.emotion == Emotion.INTENSE:
            signals["emotion"] = Emotion.INTENSE.value
        if complaint.filing_number >= 3:
            # Counted as the customer counts ("这已经是第三次了"): the original filing is the first.
            signals["filing"] = complaint.filing_number
        if signals:
            _auto_escalate(complaint, signals)
        # The progress-update clock (004 §七.11) starts with the case, in its transaction: one insert.
        ProgressClock.objects.create(complaint=complaint, next_due_at=progress_due)
        changes.complaints_added([complaint.pk])
        hooks.emit("complaint.received", complaint_id=complaint.pk, actor_id=actor.pk, action="receive")
    return complaint


def _auto_escalate(complaint: Complaint, signals: dict) -> None:
    """High risk at intake: straight to a supervisor's attention (SPEC §5)."""
    before = complaint.escalation_level
    complaint.escalation_level = max(before, EscalationLevel.SUPERVISOR)
    complaint.escalated_at = clock.now()
    complaint.save(update_fields=["escalation_level", "escalated_at"])
    events.write(
        events.escalated(
            complaint=complaint,
            now=complaint.escalated_at,
            level_before=before,
            level_after=complaint.escalation_level,
            source="intake",
            signals=signals,
        )
    )
    hooks.emit("complaint.escalated", complaint_id=complaint.pk, actor_id=None, action="escalate")


def _fingerprint(data: dict) -> str:
    values = {k: getattr(v, "pk", v) for k, v in sorted(data.items())}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def complaint_receive_once(*, actor, key: str, **data) -> tuple[Complaint, bool]:
    """:func:`complaint_receive` that a retried or concurrent request with the same ``key`` (an
    ``Idempotency-Key`` header, a one-time form token) cannot repeat.

    Insert-first: the key row goes in before the complaint, in the same transaction, under a unique
    constraint; a twin request waits on that constraint and then returns the first complaint.
    Returns ``(complaint, created)``. The same key with different content is refused.
    """
    key = (key or "").strip()
    if not key:
        return complaint_receive(actor=actor, **data), True
    if len(key) > 120 or not key.isprintable():
        raise ValidationFailed({"idempotency_key": [_("幂等键须为不超过120个字符的可见字符。")]})
    fingerprint = _fingerprint(data)
    try:
        with transaction.atomic():
            entry = IntakeKey.objects.create(actor=actor, key=key, fingerprint=fingerprint, created_at=clock.now())
            complaint = complaint_receive(actor=actor, **data)
            entry.complaint = complaint
            entry.save(update_fields=["complaint"])
            return complaint, True
    except IntegrityError:
        entry = IntakeKey.objects.select_related("complaint").filter(actor=actor, key=key).first()
        if entry is None or entry.complaint is None:
            raise
    if entry.fingerprint != fingerprint:
        raise Conflict(_("该幂等键已用于另一份内容不同的受理请求。"))
    return entry.complaint, False
