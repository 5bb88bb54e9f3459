from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The agent workspace (工作台): server-rendered pages over the complaint services."""

    name = "complaintdesk.web"
    label = "web"
    verbose_name = _("工作台")

    def ready(self):
        from complaintdesk.core import hooks
        from complaintdesk.web.views.nav import forget_counts

        for event in ("complaint.received", "complaint.changed"):
            hooks.on(event)(forget_counts)
