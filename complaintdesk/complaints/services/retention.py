"""个人信息保护: blanking a finished complaint's personal data, set-based.

The case itself stays — its category, department, channel, times, states and the customer's own
words (``description``, needed for 留档分析) — so every figure computed over it stays the same,
except 受理量 by area: without an address the case counts under "no address".
What goes: the contact phone, the address, the person complained about, and the attachments' files
(the attachment rows keep type and size, lose the file and its name). One ``ANONYMISED`` event per
complaint. Files are deleted only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Attachment, Complaint
from complaintdesk.core import changes

ANONYMISED_FIELDS = ("contact_phone", "address", "about_person", "attachments")
FINISHED = (Status.CLOSED, Status.ARCHIVED)


def complaints_anonymise(*, ids: Sequence[int], now: dt.datetime, policy: str) -> list[int]:
    """Anonymise the finished, not yet anonymised complaints among ``ids`` (rows locked, skipping
    those another worker holds); returns the ids done. Safe to run twice."""
    with transaction.atomic():
        locked = list(
            Complaint.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), anonymised_at__isnull=True, status__in=FINISHED)
            .values_list("pk", "status")
        )
        done = [pk for pk, _status in locked]
        if not done:
            return []
        # The address is counted by area in the running tallies: blanking it moves those counts
        # to "no address" in the same transaction, as a live count would.
        with changes.complaints_changing(done):
            Complaint.objects.filter(pk__in=done).update(
                contact_phone="", address="", about_person="", anonymised_at=now, updated_at=now
            )
        files = [name for name in Attachment.objects.filter(complaint_id__in=done).values_list("file", flat=True) if name]
        Attachment.objects.filter(complaint_id__in=done).update(file="", original_name="")
        events.write_many([
            events.anonymised(complaint_id=pk, status=status, now=now, policy=policy, fields=ANONYMISED_FIELDS)
            for pk, status in locked
        ])
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return done
