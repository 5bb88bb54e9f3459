from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "complaintdesk.customers"
    label = "customers"
    verbose_name = "客户"
