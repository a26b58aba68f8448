"""The CIN census return: the pre-proceedings and FGDM block and its validation."""

from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "legaltracker.census"
    label = "census"
    verbose_name = "CIN census"

    def ready(self) -> None:
        # Importing checks registers them.
        from . import checks, exporting  # noqa: F401

        # The return's CSV and XLSX downloads (legaltracker/exports' registry).
        exporting.register()
