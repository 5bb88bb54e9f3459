from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "complaintdesk.sla"
    label = "sla"
    verbose_name = "时限"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from complaintdesk.sla.deadlines import invalidate_calendar
        from complaintdesk.sla.models import CalendarDay

        def _calendar_changed(**_kwargs) -> None:
            invalidate_calendar()

        post_save.connect(
            _calendar_changed, sender=CalendarDay, weak=False, dispatch_uid="sla_calendar_saved"
        )
        post_delete.connect(
            _calendar_changed, sender=CalendarDay, weak=False, dispatch_uid="sla_calendar_deleted"
        )
