"""判定与分类: validity, nature, classification, on-the-spot resolution."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import (
    CAUSE_DETAIL_TYPE,
    COMMUNICATION_NATURES,
    ClosureReason,
    ContactKind,
    Dimension,
    EventType,
    Nature,
    Solvability,
)
from complaintdesk.complaints.models import Category, Complaint, ContactLog
from complaintdesk.complaints.services.core import Change, perform, require
from complaintdesk.complaints.services.texts import check_customer_text, log_override
from complaintdesk.core import clock, limits
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.notifications.services import send_customer_message

CLASSIFIABLE = {
    "nature": Nature.values,
    "dimension": Dimension.values,
    "solvability": Solvability.values,
    "cause_detail": list(CAUSE_DETAIL_TYPE),
}


def _classification_fields(complaint: Complaint, values: dict) -> dict:
    """Validate classification values; return only those that differ from the stored ones."""
    changes, errors = {}, {}
    limits.check_texts({k: (v, limits.REASON if k == "solvability_note" else limits.SHORT)
                        for k, v in values.items() if isinstance(v, str)})
    for name, value in values.items():
        if value is None:
            continue
        if name == "category":
            if isinstance(value, str):
                value = Category.objects.filter(code=value, active=True).first()
                if value is None:
                    errors["category"] = [_("投诉类别无效。")]
                    continue
            if complaint.category_id != value.pk:
                changes["category"] = value
            continue
        if name == "solvability_note":
            if value != complaint.solvability_note:
                changes[name] = value
            continue
        allowed = CLASSIFIABLE.get(name)
        if allowed is None:
            errors[name] = [_("不支持修改此字段。")]
        elif value and value not in allowed:
            errors[name] = [_("选项无效。")]
        elif getattr(complaint, name) != value:
            changes[name] = value
            if name == "cause_detail" and value:
                changes["cause_type"] = CAUSE_DETAIL_TYPE[value]
    if errors:
        raise ValidationFailed(errors)
    return changes


def _keep_corrections(complaint: Complaint, changes: dict) -> None:
    """An agent's correction of a suggestion becomes training data (SPEC §2)."""
    from complaintdesk.language.services import record_correction

    text = f"{complaint.subject}\n{complaint.description}\n{complaint.demand}"
    for name, value in changes.items():
        suggested = (complaint.suggestions or {}).get(name, {}).get("label")
        label = value.code if isinstance(value, Category) else value
        if suggested is not None and label and label != suggested:
            record_correction(field=name, text=text, label=label)


def complaint_review_valid(*, complaint, actor, **classification) -> Complaint:
    """成立: the complaint stands; a handling ticket (投诉处理单) is issued."""

    def apply(c: Complaint) -> Change:
        fields = _classification_fields(c, classification)
        _keep_corrections(c, fields)
        if c.category_id is None and "category" not in fields:
            raise ValidationFailed({"category": [_("判定成立前请选择投诉类别。")]})
        return Change(fields={"is_valid": True, **fields})

    return perform(complaint=complaint, action="review_valid", actor=actor, event_type=EventType.REVIEWED_VALID, apply=apply)


def complaint_review_invalid(*, complaint, actor, reason: str, explanation: str, override_language=False) -> Complaint:
    """不成立: reason recorded; the explanation given to the customer is a contact (ContactLog) and
    is texted to the customer (SPEC §2, issue 11 §5); closed as 不成立.

    The SMS row is written in the same transaction as the decision and delivered after commit, so
    a refused decision texts no one and a committed one always reaches the customer's phone.
    """
    require({"reason": (reason or "").strip(), "explanation": (explanation or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON), "explanation": (explanation, limits.REASON)})
    passed = check_customer_text(
        field="explanation", text=explanation, actor=actor, override=override_language, complaint=complaint
    )

    def apply(c: Complaint) -> Change:
        now = clock.now()
        log_override(complaint=c, actor=actor, field="explanation", violations=passed)
        contact = ContactLog.objects.create(
            complaint=c, kind=ContactKind.INVALID_EXPLAINED, note=explanation.strip(), by=actor, at=now
        )
        message = send_customer_message(
            complaint=c, template_code="invalid", key=f"invalid:{c.pk}:{c.handling_rounds}",
            extra={"result": explanation.strip().rstrip("。")},
        )
        fields = {
            "is_valid": False,
            "invalid_reason": reason.strip(),
            "invalid_explanation": explanation.strip(),
            "closure_reason": ClosureReason.INVALID,
            "closed_at": now,
        }
        if c.first_answered_at is None:
            fields["first_answered_at"] = now
        return Change(
            fields=fields,
            reason=reason.strip(),
            after_extra={"contact": contact.pk, "message": message.pk if message else None},
        )

    return perform(
        complaint=complaint,
        action="review_invalid",
        actor=actor,
        event_type=EventType.REVIEWED_INVALID,
        apply=apply,
        emit=["complaint.closed"],
    )


def complaint_upgrade_nature(*, complaint, actor, reason: str) -> Complaint:
    """A mishandled 沟通型 case becomes a 有效投诉 (004)."""
    require({"reason": (reason or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON)})

    def apply(c: Complaint) -> Change:
        if c.nature not in COMMUNICATION_NATURES:
            raise ValidationFailed({"nature": [_("只有沟通型（求助/咨询/发泄）投诉可以升级为有效投诉。")]})
        return Change(fields={"nature": Nature.VALID}, reason=reason.strip())

    return perform(complaint=complaint, action="upgrade_nature", actor=actor, event_type=EventType.NATURE_UPGRADED, apply=apply)


def complaint_classify(*, complaint, actor, reason: str = "", **classification) -> Complaint:
    """Correct the classification; the old values stay on the timeline, corrections train the model."""
    limits.check_texts({"reason": (reason, limits.REASON)})

    def apply(c: Complaint) -> Change:
        fields = _classification_fields(c, classification)
        if not fields:
            raise ValidationFailed({"classification": [_("分类没有变化。")]})
        _keep_corrections(c, fields)
        return Change(fields=fields, reason=reason)

    return perform(complaint=complaint, action="classify", actor=actor, event_type=EventType.CLASSIFIED, apply=apply)


def complaint_resolve_on_spot(*, complaint, actor, resolution: str, customer_confirmed: bool) -> Complaint:
    """即时可解决: solved during the contact with the customer's confirmed satisfaction; no visit needed."""
    require({"resolution": (resolution or "").strip()})
    limits.check_texts({"resolution": (resolution, limits.TEXT)})
    if not customer_confirmed:
        raise ValidationFailed({"customer_confirmed": [_("当场解决结案需要客户确认满意。")]})

    def apply(c: Complaint) -> Change:
        now = clock.now()
        return Change(
            fields={
                "is_valid": True,
                "solvability": Solvability.IMMEDIATE,
                "receipt_text": resolution.strip(),
                "closure_reason": ClosureReason.EXEMPT_ON_SPOT,
                "closed_at": now,
                "first_answered_at": c.first_answered_at or now,
                "implemented_at": now,
                "resolved_by_first_owner": actor.pk == c.first_owner_id,
            },
            reason=resolution.strip(),
        )

    return perform(
        complaint=complaint,
        action="resolve_on_spot",
        actor=actor,
        event_type=EventType.RESOLVED_ON_SPOT,
        apply=apply,
        emit=["complaint.closed"],
    )
