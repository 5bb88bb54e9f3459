from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaintdesk.complaints"
    label = "complaints"
    verbose_name = "投诉"

    def ready(self) -> None:
        from complaintdesk.complaints import listeners  # noqa: F401  (registers domain-event hooks)
        from complaintdesk.complaints.models import Complaint, ContactLog, TimelineEvent
        from complaintdesk.core.literals import write_codes_as_literals

        # The columns partial indexes are defined on: every plan can use those indexes.
        write_codes_as_literals(
            Complaint._meta.get_field("status"), TimelineEvent._meta.get_field("type"),
            ContactLog._meta.get_field("kind"),
        )
