from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "legaltracker.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and timescales"
