"""The reports' rework flags on the complaint (一次办结率, 退单率), set from the timeline that holds
them so far; then the partial index that served the old timeline lookup goes."""

from django.db import migrations, models

NOT_ONE_GO = ("returned_to_department", "reopened", "receipt_rejected")
HANDED_BACK = ("handed_back",)


def backfill(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    TimelineEvent = apps.get_model("complaints", "TimelineEvent")
    for flag, types in (("reworked", NOT_ONE_GO), ("handed_back", HANDED_BACK)):
        ids = TimelineEvent.objects.filter(type__in=types).values("complaint_id")
        Complaint.objects.filter(pk__in=ids).update(**{flag: True})


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_timeline_index_diet'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='handed_back',
            field=models.BooleanField(default=False, verbose_name='曾退单'),
        ),
        migrations.AddField(
            model_name='complaint',
            name='reworked',
            field=models.BooleanField(default=False, verbose_name='未一次办结'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name='timelineevent',
            name='timeline_rework_idx',
        ),
    ]
