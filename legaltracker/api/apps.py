from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "legaltracker.api"
    label = "api"
    verbose_name = "API"
