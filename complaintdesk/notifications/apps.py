from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "complaintdesk.notifications"
    label = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        from complaintdesk.core.literals import write_codes_as_literals
        from complaintdesk.notifications import tasks  # noqa: F401  (its listeners queue the tasks)
        from complaintdesk.notifications.models import OutboundMessage

        write_codes_as_literals(OutboundMessage._meta.get_field("status"))  # outbound_queued_idx
