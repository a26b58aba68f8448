from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "legaltracker.core"
    label = "core"
    verbose_name = "Core"
