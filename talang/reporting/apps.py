from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "talang.reporting"
    label = "reporting"
