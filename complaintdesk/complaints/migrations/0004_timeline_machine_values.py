"""Timeline rows keep machine values only: the sentences the system used to store in ``reason`` (in
the language of whoever acted) are dropped, and what rendering needs is moved into ``after``.

Rows a person wrote keep their ``reason`` as typed. The sentence is rendered when shown
(``complaints.events.describe``), in the reader's language.
"""

import re

from django.db import migrations

# Event types whose reason was always written by the system.
GENERATED = {
    "deadline_warning",
    "deadline_breached",
    "callback_missed",
    "clock_paused",
    "clock_resumed",
    "language_override",
    "visit_scheduled",
    "repeat_linked",
}
BATCH = 2000


def _first_number(text: str):
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None


def _quoted(text: str) -> str:
    match = re.search(r"[“\"](.+?)[”\"]", text or "")
    return match.group(1) if match else ""


def forwards(apps, schema_editor):
    TimelineEvent = apps.get_model("complaints", "TimelineEvent")
    Complaint = apps.get_model("complaints", "Complaint")
    candidates = (
        TimelineEvent.objects.filter(type__in=[*GENERATED, "notified", "escalated", "note_added"])
        .exclude(reason="")
        .order_by("pk")
    )
    changed = []
    for event in candidates.iterator(chunk_size=BATCH):
        after = dict(event.after or {})
        if event.type in GENERATED:
            if event.type == "repeat_linked" and "window_days" not in after:
                after["window_days"] = _first_number(event.reason)
        elif event.type == "notified":
            if after.get("deadline") != "progress":
                continue
        elif event.type == "escalated":
            source = after.get("source")
            if source == "intake":
                complaint = Complaint.objects.filter(pk=event.complaint_id).values(
                    "suggestions", "emotion", "repeat_count", "escalation_risk", "subject", "description", "demand"
                ).first() or {}
                text = "\n".join(complaint.get(k) or "" for k in ("subject", "description", "demand"))
                signals = {}
                if complaint.get("escalation_risk") == "high":
                    risk = (complaint.get("suggestions") or {}).get("escalation_risk") or {}
                    found = list(risk.get("evidence") or []) if isinstance(risk, dict) else []
                    signals["risk_evidence"] = [term for term in found if term in text]
                if complaint.get("emotion") == "intense":
                    signals["emotion"] = "intense"
                if (complaint.get("repeat_count") or 0) >= 2:
                    signals["repeat_count"] = complaint["repeat_count"]
                after["signals"] = signals
            elif source != "visit_unsatisfied":
                continue  # a person escalated by hand: their words stay
        elif event.type == "note_added":
            if "campaign" not in after:
                continue
            after["campaign_name"] = _quoted(event.reason)
        event.after, event.reason = after, ""
        changed.append(event)
        if len(changed) >= BATCH:
            TimelineEvent.objects.bulk_update(changed, ["after", "reason"])
            changed = []
    if changed:
        TimelineEvent.objects.bulk_update(changed, ["after", "reason"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_index_cleanup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
