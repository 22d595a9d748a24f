from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "talang.intake"
    label = "intake"
