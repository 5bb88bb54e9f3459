from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "complaintdesk.notifications"
    label = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        from complaintdesk.notifications import tasks  # noqa: F401  (its listeners queue the tasks)
