from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "complaintdesk.notifications"
    label = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        from complaintdesk.notifications import listeners  # noqa: F401  (registers domain-event hooks)
