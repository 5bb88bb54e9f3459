from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "complaintdesk.language"
    label = "language"
    verbose_name = "文本智能"
