from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "legaltracker.board"
    label = "board"
    verbose_name = "Tracker board"

    def ready(self) -> None:
        from . import exports

        exports.register()
