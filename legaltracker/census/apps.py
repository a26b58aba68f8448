"""The CIN census return: the pre-proceedings and FGDM block and its validation."""

from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "legaltracker.census"
    label = "census"
    verbose_name = "CIN census"

    def ready(self) -> None:
        # The return's CSV and XLSX downloads (legaltracker/exports' registry).
        from . import exporting

        exporting.register()
