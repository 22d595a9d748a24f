from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "talang.privacy"
    label = "privacy"
