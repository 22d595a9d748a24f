from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "talang.contacts"
    label = "contacts"
