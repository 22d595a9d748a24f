from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "talang.outreach"
    label = "outreach"
