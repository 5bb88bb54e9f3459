from django.db import transaction
from django.db.models import F

from complaintdesk.core.models import Counter


def next_value(name: str) -> int:
    """Increment and return counter ``name`` inside the caller's transaction (row-locked)."""
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(name=name)
        Counter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
        counter.refresh_from_db(fields=["value"])
        return counter.value
