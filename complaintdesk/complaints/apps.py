from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaintdesk.complaints"
    label = "complaints"
    verbose_name = "投诉"

    def ready(self) -> None:
        from complaintdesk.complaints import listeners  # noqa: F401  (registers domain-event hooks)
