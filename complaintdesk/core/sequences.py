from django.db import connection, transaction
from django.db.models import Case, F, When

from complaintdesk.core.models import Counter


def next_value(name: str) -> int:
    """Increment and return counter ``name`` inside the caller's transaction: one statement that
    creates the counter or adds one to it, holding its row lock until the caller commits (so the
    values are gap-free: a rolled-back caller gives its value back)."""
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, value) VALUES (%s, 1) "
            f"ON CONFLICT (name) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [name],
        )
        return cursor.fetchone()[0]


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
