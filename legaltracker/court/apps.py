from django.apps import AppConfig


class CourtConfig(AppConfig):
    name = "legaltracker.court"
    label = "court"
    verbose_name = "Court record"

    def ready(self) -> None:
        from legaltracker.cases.facts import FACT_SOURCES

        from .facts import court_facts

        FACT_SOURCES.append(court_facts)
