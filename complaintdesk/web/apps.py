from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The agent workspace (工作台): server-rendered pages over the complaint services."""

    name = "complaintdesk.web"
    label = "web"
    verbose_name = _("工作台")
