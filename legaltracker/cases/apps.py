from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "legaltracker.cases"
    label = "cases"
    verbose_name = "Cases"
