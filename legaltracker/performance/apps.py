from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "legaltracker.performance"
    label = "performance"
    verbose_name = "Performance reports"

    def ready(self) -> None:
        from . import exports

        exports.register()
