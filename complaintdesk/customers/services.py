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


def known_phones(numbers: list[str]) -> set[str]:
    """Which of these normalised numbers already belong to a customer (chunked indexed lookups)."""
    found: set[str] = set()
    for start in range(0, len(numbers), 2000):
        found.update(CustomerPhone.objects.filter(number__in=numbers[start:start + 2000]).values_list("number", flat=True))
    return found


def customers_for_phones(*, entries: dict[str, dict]) -> dict[str, int]:
    """Set-based :func:`customer_get_or_create` for imports: normalised phone → customer id.

    ``entries`` maps each (already normalised) phone to ``name``/``salutation``/``address``. A phone
    that has a customer keeps it and its stored data; the others get a new customer (a name is
    required, as for one customer) with that phone as primary number.
    """
    numbers = list(entries)
    owners: dict[str, int] = {}
    for start in range(0, len(numbers), 2000):
        owners.update(CustomerPhone.objects.filter(number__in=numbers[start:start + 2000])
                      .values_list("number", "customer_id"))
    missing = [n for n in numbers if n not in owners]
    unnamed = [n for n in missing if not (entries[n].get("name") or "").strip()]
    if unnamed:
        raise ValidationFailed({"customer_name": [_("新客户需要填写姓名。")]})
    with transaction.atomic():
        created = Customer.objects.bulk_create(
            [Customer(name=entries[n]["name"].strip()[:60], salutation=entries[n].get("salutation", ""),
                      address=entries[n].get("address", "")[:200], preferred_language="普通话") for n in missing],
            batch_size=2000,
        )
        CustomerPhone.objects.bulk_create(
            [CustomerPhone(customer_id=c.pk, number=n, is_primary=True) for n, c in zip(missing, created, strict=True)],
            batch_size=2000,
        )
    owners.update({n: c.pk for n, c in zip(missing, created, strict=True)})
    return owners


ANONYMOUS_NAME = "（已匿名）"


def customers_anonymise(*, customer_ids: list[int]) -> int:
    """个人信息保护: blank these customers' name, address, room and notes and drop their phone
    numbers (the rows stay, so counts per customer do not change). Returns how many changed."""
    with transaction.atomic():
        CustomerPhone.objects.filter(customer_id__in=customer_ids).delete()
        return (
            Customer.objects.filter(pk__in=customer_ids)
            .exclude(name=ANONYMOUS_NAME, address="", room="", notes="")
            .update(name=ANONYMOUS_NAME, salutation="", address="", room="", notes="")
        )
