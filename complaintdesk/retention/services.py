"""The two retention jobs. Each selects its work set-based on an indexed column (partial indexes
``complaint_to_archive_idx`` and ``complaint_to_anonymise_idx``), writes through the complaints
and customers services, and logs one :class:`RetentionRun` row. Both are idempotent: what was
done no longer matches the selection, and the services re-check each row under its lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef

from complaintdesk.complaints import services as complaint_services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.retention import complaints_anonymise
from complaintdesk.core import clock
from complaintdesk.core.errors import DomainError
from complaintdesk.customers.services import customers_anonymise
from complaintdesk.retention.models import RetentionPolicy, RetentionRun, RunKind

CHUNK = 1000
# One run does at most this much; the next run (an hour later) continues. Keeps runs short.
ARCHIVE_PER_RUN = 5000
ANONYMISE_PER_RUN = 50_000


@dataclass(frozen=True)
class Policy:
    name: str
    archive_after_days: int
    anonymise_after_days: int


def policy_current() -> Policy:
    found = RetentionPolicy.objects.filter(active=True).order_by("id").first()
    if found:
        return Policy(found.name, found.archive_after_days, found.anonymise_after_days)
    return Policy("settings", settings.COMPLAINTDESK_ARCHIVE_AFTER_DAYS, settings.COMPLAINTDESK_ANONYMISE_AFTER_DAYS)


def _log(kind: str, policy: Policy, days: int, cutoff: dt.datetime, started: dt.datetime, count: int,
         skipped: int = 0) -> RetentionRun:
    return RetentionRun.objects.create(kind=kind, policy=policy.name, days=days, cutoff=cutoff, started_at=started,
                                       finished_at=clock.now(), count=count, skipped=skipped)


def archive_closed(*, policy: Policy | None = None) -> RetentionRun:
    """已结案 longer than the policy's days → 已归档, through ``complaint_archive`` (actor: system)."""
    policy = policy or policy_current()
    started = clock.now()
    cutoff = started - dt.timedelta(days=policy.archive_after_days)
    ids = list(Complaint.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff)
               .order_by("closed_at").values_list("pk", flat=True)[:ARCHIVE_PER_RUN])
    done = skipped = 0
    for pk in ids:
        try:
            complaint_services.complaint_archive(complaint=pk, actor=None)
            done += 1
        except DomainError:  # reopened (or archived) since the selection: not ours to archive
            skipped += 1
    return _log(RunKind.ARCHIVE, policy, policy.archive_after_days, cutoff, started, done, skipped)


def anonymise_expired(*, policy: Policy | None = None) -> RetentionRun:
    """Finished cases closed longer ago than the policy's days lose their personal data; their
    customers too, once none of the customer's cases still needs it."""
    policy = policy or policy_current()
    started = clock.now()
    cutoff = started - dt.timedelta(days=policy.anonymise_after_days)
    ids = list(Complaint.objects.filter(anonymised_at__isnull=True, closed_at__isnull=False, closed_at__lt=cutoff)
               .order_by("closed_at").values_list("pk", flat=True)[:ANONYMISE_PER_RUN])
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = complaints_anonymise(ids=ids[start:start + CHUNK], now=started, policy=policy.name)
        done += len(chunk)
        customers = set(Complaint.objects.filter(pk__in=chunk).values_list("customer_id", flat=True))
        still_needed = Complaint.objects.filter(customer_id=OuterRef("customer_id"), anonymised_at__isnull=True)
        expired = list(
            Complaint.objects.filter(customer_id__in=customers).annotate(needed=Exists(still_needed))
            .filter(needed=False).values_list("customer_id", flat=True).distinct()
        )
        customers_anonymise(customer_ids=expired)
    return _log(RunKind.ANONYMISE, policy, policy.anonymise_after_days, cutoff, started, done, len(ids) - done)
