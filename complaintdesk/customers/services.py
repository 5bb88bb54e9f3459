"""Writes for customers: find-or-create by normalised phone."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.customers.models import Customer, CustomerPhone
from complaintdesk.customers.phones import InvalidPhone, normalize_phone


def phone_clean(raw: str, *, field: str = "phone") -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhone:
        raise ValidationFailed({field: [_("电话号码格式不正确：%(phone)s（请输入11位手机号或带区号的固话）") % {"phone": raw}]})


def customer_get_or_create(
    *,
    phone: str,
    name: str = "",
    salutation: str = "",
    address: str = "",
    room: str = "",
    preferred_language: str = "",
) -> tuple[Customer, bool]:
    """Find the customer who owns ``phone`` or create one; fill blanks, never overwrite stored data."""
    number = phone_clean(phone)
    existing = CustomerPhone.objects.select_related("customer").filter(number=number).first()
    if existing:
        customer = existing.customer
        changed = []
        for field, value in (
            ("name", name),
            ("salutation", salutation),
            ("address", address),
            ("room", room),
            ("preferred_language", preferred_language),
        ):
            if value and not getattr(customer, field):
                setattr(customer, field, value)
                changed.append(field)
        if changed:
            customer.save(update_fields=changed)
        return customer, False
    if not name.strip():
        raise ValidationFailed({"customer_name": [_("新客户需要填写姓名。")]})
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                name=name.strip(),
                salutation=salutation,
                address=address,
                room=room,
                preferred_language=preferred_language or "普通话",
            )
            CustomerPhone.objects.create(customer=customer, number=number, is_primary=True)
    except IntegrityError:
        # Another request registered the same phone a moment ago: use that customer.
        return CustomerPhone.objects.select_related("customer").get(number=number).customer, False
    return customer, True


def customer_add_phone(*, customer: Customer, phone: str) -> CustomerPhone:
    number = phone_clean(phone)
    owner = CustomerPhone.objects.filter(number=number).first()
    if owner and owner.customer_id != customer.pk:
        raise ValidationFailed({"phone": [_("该号码已属于另一位客户。")]})
    if owner:
        return owner
    return CustomerPhone.objects.create(customer=customer, number=number)
