from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``manage.py setup_demo``: the demo organisation, calendar, phrases and complaints."""

    name = "complaintdesk.demo"
    label = "demo"
    verbose_name = "演示数据"
