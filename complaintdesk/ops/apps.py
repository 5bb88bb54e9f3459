from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running it in production: health and readiness, request ids in JSON logs, metrics."""

    name = "complaintdesk.ops"
    label = "ops"
    verbose_name = "运维"
