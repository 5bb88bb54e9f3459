from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "complaintdesk.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from complaintdesk.org import audit

        audit.connect()
