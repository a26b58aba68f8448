from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "legaltracker.imports"
    label = "imports"
    verbose_name = "Imports from a spreadsheet tracker"
