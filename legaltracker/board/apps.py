from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "legaltracker.board"
    label = "board"
    verbose_name = "Tracker board"
