from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "complaintdesk.followups"
    label = "followups"
    verbose_name = "回访"

    def ready(self) -> None:
        from complaintdesk.followups import listeners  # noqa: F401  (registers domain-event hooks)
