from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "legaltracker.casework"
    label = "casework"
    verbose_name = "Case pages"
