from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "complaintdesk.api"
    label = "api"
    verbose_name = "API"
