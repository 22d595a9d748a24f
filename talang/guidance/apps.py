from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "talang.guidance"
    label = "guidance"
