from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talang.accounts"
    label = "accounts"
    verbose_name = "Accounts"
