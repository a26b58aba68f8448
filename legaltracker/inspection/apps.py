from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "legaltracker.inspection"
    label = "inspection"
    verbose_name = "Inspection list"

    def ready(self) -> None:
        from . import exports

        exports.register()
