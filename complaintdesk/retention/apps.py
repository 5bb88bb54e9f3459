from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "complaintdesk.retention"
    label = "retention"
    verbose_name = _("归档与保存期限")
