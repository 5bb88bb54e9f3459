from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "complaintdesk.reports"
    label = "reports"
    verbose_name = _("报表")

    def ready(self) -> None:
        from complaintdesk.core import changes
        from complaintdesk.reports import tally

        changes.observe(tally.observer)  # the running tallies move inside each change's transaction
