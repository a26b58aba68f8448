from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "legaltracker.accounts"
    label = "accounts"
    verbose_name = "Teams and users"
