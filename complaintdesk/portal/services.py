"""Writes of the customer portal. Complaint changes go through ``complaints.services`` only.

The portal acts through one staff account of the service centre (``PORTAL_INTAKE_USERNAME``,
created on first use): it is the 首问责任人 of complaints submitted online and the actor of return
visits a customer answers online. Being a service-centre member, the whole desk sees and handles
those complaints (the ``desk`` relation of the transition table), so no single agent is left holding
cases nobody assigned to them; the timeline still shows they came in through the portal.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import Channel, Dimension, VisitMethod
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services import (
    complaint_add_attachment,
    complaint_receive,
    complaint_record_visit,
)
from complaintdesk.complaints.services.actions import validate_upload
from complaintdesk.core import clock
from complaintdesk.core.errors import DomainError, ValidationFailed
from complaintdesk.customers.models import CustomerPhone, Salutation
from complaintdesk.customers.services import phone_clean
from complaintdesk.notifications.services import send_text
from complaintdesk.org.models import Department, DepartmentKind, Role, User
from complaintdesk.portal.models import LoginCode, Submission

MAX_LENGTHS = {
    "customer_name": 60,
    "address": 200,
    "subject": 100,
    "description": 2000,
    "demand": 500,
    "comment": 500,
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif"}
# The same text as the ``login_code`` template the notifications migration installs; used if that
# row is missing, because without the code nobody can sign in.
LOGIN_CODE_BODY = "您的验证码为{code}，{minutes}分钟内有效，请勿告诉他人。如非本人操作请忽略。"


class PortalUnavailable(DomainError):
    status_code = 503
    default_code = "portal_unavailable"


def portal_account() -> User:
    """The service-centre account the portal acts as; created (without a password) on first use."""
    username = settings.PORTAL_INTAKE_USERNAME
    user = User.objects.select_related("department").filter(username=username).first()
    if user is not None:
        return user
    centre = (
        Department.objects.filter(kind=DepartmentKind.SERVICE_CENTRE, active=True).order_by("pk").first()
    )
    if centre is None:
        raise PortalUnavailable(_("系统尚未设置客服中心，暂时无法在线受理，请拨打客服电话。"))
    user = User(username=username, role=Role.AGENT, department=centre, display_name="在线自助受理")
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created by a concurrent request
        return User.objects.select_related("department").get(username=username)
    return user


def _check_lengths(values: dict[str, str]) -> None:
    errors = {}
    for name, value in values.items():
        limit = MAX_LENGTHS[name]
        if "\x00" in value:
            errors[name] = [_("包含无效字符。")]
        elif len(value) > limit:
            errors[name] = [_("不能超过%(n)s字。") % {"n": limit}]
    if errors:
        raise ValidationFailed(errors)


def _check_photos(photos: list[UploadedFile]) -> None:
    if len(photos) > settings.PORTAL_MAX_PHOTOS:
        raise ValidationFailed({"photos": [_("最多上传%(n)s张照片。") % {"n": settings.PORTAL_MAX_PHOTOS}]})
    for photo in photos:
        if validate_upload(photo) not in IMAGE_TYPES:
            raise ValidationFailed({"photos": [_("只能上传照片（JPG、PNG、GIF）。")]})


def portal_complaint_submit(
    *,
    token: str,
    phone: str,
    customer_name: str,
    salutation: str = "",
    address: str = "",
    subject: str,
    description: str,
    demand: str = "",
    photos: list[UploadedFile] | None = None,
) -> tuple[Complaint, bool]:
    """A customer's complaint from the portal (channel 在线). Returns ``(complaint, created)``.

    The same ``token`` submitted again returns the first complaint with ``created=False``.
    Everything is checked before anything is stored: a bad photo stores nothing.
    """
    photos = list(photos or [])
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise ValidationFailed({"token": [_("表单已失效，请刷新页面后重新提交。")]})
    customer_name, address = (customer_name or "").strip(), (address or "").strip()
    subject, description, demand = (subject or "").strip(), (description or "").strip(), (demand or "").strip()
    _check_lengths(
        {"customer_name": customer_name, "address": address, "subject": subject, "description": description,
         "demand": demand}
    )
    if salutation not in Salutation.values:
        raise ValidationFailed({"salutation": [_("称呼无效。")]})
    number = phone_clean(phone)
    _check_photos(photos)
    account = portal_account()
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = Submission.objects.create(token=token, created_at=clock.now())
        except IntegrityError:
            first = Submission.objects.select_related("complaint").get(token=token)
            return first.complaint, False
        complaint = complaint_receive(
            actor=account,
            phone=number,
            customer_name=customer_name,
            salutation=salutation,
            address=address,
            channel=Channel.ONLINE,
            subject=subject,
            description=description,
            demand=demand,
            portal=True,
        )
        for photo in photos:
            complaint_add_attachment(complaint=complaint, actor=account, upload=photo)
        submission.complaint = complaint
        submission.save(update_fields=["complaint"])
    return complaint, True


# -- sign-in by SMS code -----------------------------------------------------------------------


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("complaintdesk.portal.login-code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def portal_code_send(*, phone: str) -> bool:
    """Text a 6-digit sign-in code to ``phone`` when it belongs to a customer on file.

    Returns whether a code was sent; callers must answer the same either way, so the page does
    not tell who is a customer. Raises only for a malformed number.
    """
    number = phone_clean(phone)
    if not CustomerPhone.objects.filter(number=number).exists():
        return False
    now = clock.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = settings.PORTAL_CODE_TTL_MINUTES
    with transaction.atomic():
        LoginCode.objects.filter(phone=number, used_at__isnull=True).update(used_at=now)  # one live code
        login = LoginCode.objects.create(
            phone=number, code_hash=_code_hash(number, code), created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
        send_text(
            to=number, template_code="login_code", key=f"portal-login:{login.pk}",
            context={"code": code, "minutes": minutes}, default_body=LOGIN_CODE_BODY,
        )
    return True


def portal_code_verify(*, phone: str, code: str) -> tuple[int, str]:
    """``(customer_id, phone)`` when ``code`` is the live code for ``phone``.

    A code is good for ``PORTAL_CODE_TTL_MINUTES`` and ``PORTAL_CODE_MAX_ATTEMPTS`` tries, and once.
    Every failure gives the same message.
    """
    refused = ValidationFailed({"code": [_("验证码错误或已失效，请重新获取。")]})
    try:
        number = phone_clean(phone)
    except ValidationFailed:
        raise refused
    code = (code or "").strip()
    now = clock.now()
    matched = False
    with transaction.atomic():
        login = (
            LoginCode.objects.select_for_update()
            .filter(phone=number, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if login is None or login.attempts >= settings.PORTAL_CODE_MAX_ATTEMPTS:
            raise refused
        login.attempts += 1
        matched = len(code) == 6 and code.isdigit() and constant_time_compare(_code_hash(number, code), login.code_hash)
        if matched:
            login.used_at = now
        login.save(update_fields=["attempts", "used_at"])
    owner = CustomerPhone.objects.filter(number=number).values_list("customer_id", flat=True).first()
    if not matched or owner is None:
        raise refused
    return owner, number


# -- the return visit, answered by the customer ------------------------------------------------


def portal_visit_answer(
    *,
    complaint_id: int,
    satisfied: bool | None,
    satisfaction,
    dimensions: dict[str, object],
    comment: str = "",
) -> Complaint:
    """The customer answers the return visit online (SPEC §6): satisfied closes the case; not
    satisfied sends it back up to the department (重新上移) — both through
    ``complaint_record_visit``, with the method 短信/在线."""
    comment = (comment or "").strip()
    _check_lengths({"comment": comment})
    if satisfied is None:
        raise ValidationFailed({"outcome": [_("请选择您是否满意。")]})
    unknown = set(dimensions) - set(Dimension.values)
    if unknown:
        raise ValidationFailed({"dimensions": [_("服务质量维度无效。")]})
    missing = {k: [_("请为这一项打分。")] for k in Dimension.values if dimensions.get(k) in (None, "")}
    if missing:
        raise ValidationFailed(missing)
    return complaint_record_visit(
        complaint=complaint_id,
        actor=portal_account(),
        outcome="satisfied" if satisfied else "unsatisfied",
        method=VisitMethod.ONLINE,
        satisfaction=satisfaction,
        dimensions=dimensions,
        answers={"result": comment},
        notes=comment,
    )
