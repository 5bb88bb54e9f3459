from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "complaintdesk.webhooks"
    label = "webhooks"
    verbose_name = "Webhook"

    def ready(self) -> None:
        from complaintdesk.webhooks import tasks  # noqa: F401  (its listeners publish events after commit)
