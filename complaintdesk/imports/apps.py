from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "complaintdesk.imports"
    label = "imports"
    verbose_name = _("历史数据导入")
