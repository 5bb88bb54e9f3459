from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "complaintdesk.followups"
    label = "followups"
    verbose_name = "回访"
