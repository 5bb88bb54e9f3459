from django.db import transaction
from django.db.models import Case, F, When

from complaintdesk.core.models import Counter


def next_value(name: str) -> int:
    """Increment and return counter ``name`` inside the caller's transaction (row-locked)."""
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(name=name)
        Counter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
        counter.refresh_from_db(fields=["value"])
        return counter.value



def reserve_many(counts: dict[str, int]) -> dict[str, int]:
    """Take a block of values from each named counter at once (a bulk import numbering hundreds of
    days): a constant number of statements whatever the number of counters. Returns each
    counter's first reserved value."""
    counts = {name: n for name, n in counts.items() if n > 0}
    if not counts:
        return {}
    with transaction.atomic():
        Counter.objects.bulk_create([Counter(name=name) for name in counts], ignore_conflicts=True)
        locked = Counter.objects.select_for_update().filter(name__in=list(counts))
        list(locked.values_list("pk"))
        Counter.objects.filter(name__in=list(counts)).update(
            value=Case(*[When(name=name, then=F("value") + n) for name, n in counts.items()], default=F("value"),
                       output_field=Counter._meta.get_field("value"))
        )
        values = dict(Counter.objects.filter(name__in=list(counts)).values_list("name", "value"))
    return {name: values[name] - n + 1 for name, n in counts.items()}
