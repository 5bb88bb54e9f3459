from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "complaintdesk.improvement"
    label = "improvement"
    verbose_name = "留档分析与整改"
