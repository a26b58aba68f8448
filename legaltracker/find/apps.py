from django.apps import AppConfig


class FindConfig(AppConfig):
    name = "legaltracker.find"
    label = "find"
    verbose_name = "Find and open"
