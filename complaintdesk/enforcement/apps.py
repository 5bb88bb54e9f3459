from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """Time limits that enforce themselves: the sweeps that warn, mark breaches and escalate, and
    the actions on a complaint's clock (extensions, pauses). Built on ``complaints`` and ``sla``."""

    name = "complaintdesk.enforcement"
    label = "enforcement"
    verbose_name = "时限执行"

    def ready(self) -> None:
        from complaintdesk.enforcement import listeners  # noqa: F401  (registers domain-event hooks)
