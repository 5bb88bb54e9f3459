"""Writes of the notifications app: staff notices, customer messages, templates.

Staff notices are rows written in the caller's transaction (so a rolled-back action tells no
one); e-mail and SMS leave the building only from tasks enqueued on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaintdesk.core import clock, hooks
from complaintdesk.core.bulk import insert_rows
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.language.services import check_customer_text, describe_violations
from complaintdesk.notifications.models import (
    Channel,
    MessageTemplate,
    Notification,
    OutboundMessage,
    OutboundStatus,
)
from complaintdesk.notifications.sms import SmsError, get_backend

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One notice to one person. ``text`` is a composed message (``messages.compose``), rendered in
    the reader's language when read; a plain string is kept as it is."""

    recipient_id: int
    kind: str
    text: dict | str
    key: str
    complaint_id: int | None = None


def notify_many(notices: Iterable[Notice]) -> int:
    """Write in-app notices (a notice whose key exists is skipped) and e-mail them after commit."""
    now = clock.now()
    rows = [
        {
            "recipient_id": n.recipient_id,
            "complaint_id": n.complaint_id,
            "kind": n.kind,
            # A composed message is rendered when read (in the reader's language), not stored as text.
            "text": n.text[:300] if isinstance(n.text, str) else "",
            "message": {} if isinstance(n.text, str) else n.text,
            "created_at": now,
            "read_at": None,
            "emailed_at": None,
            "idempotency_key": n.key[:160],
        }
        for n in notices
    ]
    if not rows:
        return 0
    insert_rows(Notification, rows, ignore_conflicts=True)
    if getattr(settings, "NOTIFICATIONS_EMAIL", True):
        from django.contrib.auth import get_user_model

        with_email = set(
            get_user_model()
            .objects.filter(pk__in={r["recipient_id"] for r in rows}, email__gt="")
            .values_list("pk", flat=True)
        )
        keys = [r["idempotency_key"] for r in rows if r["recipient_id"] in with_email]
        if keys:
            # After commit, the tasks module (subscribed to this event) queues the e-mails.
            hooks.emit("notifications.emails_due", keys=keys)
    return len(rows)


def notify(
    *, recipients: Iterable[int], kind: str, text: dict | str, key: str, complaint_id: int | None = None
) -> int:
    return notify_many(
        Notice(recipient_id=r, kind=kind, text=text, key=f"{key}:u{r}", complaint_id=complaint_id)
        for r in {r for r in recipients if r}
    )


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all unread ones when ``ids`` is ``None``)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())


def send_notification_emails(keys: list[str]) -> int:
    """E-mail the notices with ``keys`` whose recipient has an address; each is sent once."""
    from django.core.mail import send_mail

    sent = 0
    for pk in Notification.objects.filter(
        idempotency_key__in=keys, emailed_at__isnull=True, recipient__email__gt=""
    ).values_list("pk", flat=True):
        with transaction.atomic():
            notice = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "complaint")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notice is None:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("【投诉工单台】%(kind)s") % {"kind": notice.get_kind_display()}
                body = notice.display
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
            notice.emailed_at = clock.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent


# -- customer messages -------------------------------------------------------------------------


class _Context(dict):
    def __missing__(self, key: str) -> str:
        return ""


def template_problems(body: str) -> list[str]:
    """Why a template may not be used: unknown placeholders or forbidden phrases (SPEC §7)."""
    problems = []
    try:
        fields = {name for _lit, name, _spec, _conv in string.Formatter().parse(body) if name is not None}
    except ValueError:
        return [_("模板格式错误：花括号不匹配。")]
    unknown = sorted(fields - PLACEHOLDERS)
    if unknown:
        problems.append(_("未知占位符：%(names)s") % {"names": "、".join("{" + n + "}" for n in unknown)})
    problems += describe_violations(check_customer_text(body.format_map(_Context())))
    return problems


PLACEHOLDERS = {"number", "name", "due", "subject", "result", "centre", "date", "agent", "link", "code", "minutes"}


def message_template_save(
    *, code: str, name: str, body: str, channel: str = Channel.SMS, subject: str = ""
) -> MessageTemplate:
    problems = template_problems(body)
    if problems:
        raise ValidationFailed({"body": problems})
    template, _created = MessageTemplate.objects.update_or_create(
        code=code, defaults={"name": name, "body": body, "channel": channel, "subject": subject}
    )
    return template


def customer_name(complaint) -> str:
    customer = complaint.customer
    if customer.salutation:
        return f"{customer.name[:1]}{customer.get_salutation_display()}"
    return customer.name or _("客户")


def render(template: MessageTemplate, complaint, extra: dict | None = None) -> tuple[str, dict]:
    # Customers get the centre's language, whatever language the acting staff member's UI is in.
    with translation.override(settings.LANGUAGE_CODE):
        return _render(template, complaint, extra)


def _render(template: MessageTemplate, complaint, extra: dict | None) -> tuple[str, dict]:
    due = complaint.first_answer_due_at
    context = _Context(
        number=complaint.number,
        name=customer_name(complaint),
        subject=complaint.subject[:30],
        due=timezone.localtime(due).strftime("%m月%d日%H:%M") if due else "",
        centre=getattr(settings, "SERVICE_CENTRE_NAME", "客服中心"),
        link=customer_link(complaint),
        **(extra or {}),
    )
    return template.body.format_map(context), {k: str(v) for k, v in context.items()}


def customer_link(complaint) -> str:
    """``{link}``: the customer's own link to the case, built by ``settings.CUSTOMER_LINK_BUILDER``
    (a dotted path, like ``SMS_BACKEND``; the portal's signed link by default). Empty when unset."""
    path = getattr(settings, "CUSTOMER_LINK_BUILDER", "")
    if not path or complaint.pk is None:
        return ""
    from django.utils.module_loading import import_string

    return import_string(path)(complaint)


def send_text(
    *, to: str, template_code: str, key: str, context: dict, default_body: str = "", secret: tuple[str, ...] = ()
):
    """Queue an SMS that belongs to no complaint (a sign-in code); sent after commit.

    The context values named in ``secret`` are blanked in the stored message once it is sent.

    ``default_body`` is used when no template row with that code exists (a message the product
    cannot work without); a template an admin switched off sends nothing. Returns the message, or
    ``None`` when this ``key`` was already queued or nothing is to be sent.
    """
    template = MessageTemplate.objects.filter(code=template_code).first()
    text = template.body if template is not None else default_body
    if (template is not None and not template.active) or not text or not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        values = _Context(centre=getattr(settings, "SERVICE_CENTRE_NAME", "客服中心"), **context)
        body = text.format_map(values)
    with transaction.atomic():
        message, created = OutboundMessage.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "channel": Channel.SMS,
                "template_code": template_code,
                "to": to,
                "body": body,
                "params": {**{k: str(v) for k, v in values.items()}, **({"redact": list(secret)} if secret else {})},
                "created_at": clock.now(),
            },
        )
        if created:
            hooks.emit("notifications.message_queued", message_id=message.pk)
    return message if created else None


def send_customer_message(*, complaint, template_code: str, key: str, extra: dict | None = None,
                          queue: bool = True):
    """Queue an SMS to the complaint's contact phone from an active template; sent after commit.

    Returns the message, or ``None`` when this ``key`` was already queued (or the template is off).
    ``queue=False``: the caller, a task on a worker, sends it itself right after (``tasks.deliver_here``);
    a message left queued by a crash in between is sent by the outbound sweep (``retry_queued``).
    """
    template = MessageTemplate.objects.filter(code=template_code, active=True).first()
    if template is None or not complaint.contact_phone:
        return None
    if OutboundMessage.objects.filter(idempotency_key=key).exists():
        return None
    body, params = render(template, complaint, extra)
    with transaction.atomic():
        message, created = OutboundMessage.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "complaint": complaint,
                "channel": Channel.SMS,
                "template_code": template.code,
                "to": complaint.contact_phone,
                "body": body,
                "params": params,
                "created_at": clock.now(),
            },
        )
        if created and queue:
            hooks.emit("notifications.message_queued", message_id=message.pk)
    return message if created else None


def deliver(message_id: int) -> str:
    """Send one queued message through the SMS backend; safe to call twice (sends once).

    Returns the resulting status. A retryable provider error leaves the message queued and
    re-raises so the task is retried; anything else marks it failed.
    """
    backend = get_backend()
    retry: SmsError | None = None
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None or message.status != OutboundStatus.QUEUED:
            return message.status if message else "missing"
        message.attempts += 1
        try:
            message.provider_id = backend.send(message)[:80]
        except SmsError as exc:
            message.error = str(exc)
            if exc.retryable and message.attempts < getattr(settings, "SMS_MAX_ATTEMPTS", 5):
                retry = exc
            else:
                message.status = OutboundStatus.FAILED
        else:
            message.status, message.sent_at, message.error = OutboundStatus.SENT, clock.now(), ""
            message.backend = getattr(backend, "name", type(backend).__name__)
        fields = ["attempts", "provider_id", "status", "sent_at", "backend", "error"]
        if message.status != OutboundStatus.QUEUED and _redact(message):
            fields += ["body", "params"]
        message.save(update_fields=fields)
    if retry is not None:
        raise retry
    return message.status


def _redact(message: OutboundMessage) -> bool:
    """Blank the values named in ``params["redact"]`` (a sign-in code) once the message has left:
    the log keeps that a code was sent, not the code."""
    names = (message.params or {}).get("redact") or []
    for name in names:
        value = str(message.params.get(name, ""))
        if value:
            message.body = message.body.replace(value, "*" * len(value))
            message.params[name] = "*" * len(value)
    return bool(names)


def retry_queued(*, older_than_minutes: int = 5, limit: int = 500) -> tuple[int, int]:
    """Crash recovery: deliver messages still queued a while after they were committed."""
    cutoff = clock.now() - dt.timedelta(minutes=older_than_minutes)
    ids = list(
        OutboundMessage.objects.filter(status=OutboundStatus.QUEUED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    acted = 0
    for pk in ids:
        try:
            if deliver(pk) == OutboundStatus.SENT:
                acted += 1
        except SmsError:
            log.warning("SMS %s still failing; will retry", pk)
    return len(ids), acted
