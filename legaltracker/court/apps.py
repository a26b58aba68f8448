import importlib
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CourtConfig(AppConfig):
    name = "legaltracker.court"
    label = "court"
    verbose_name = "Court record"

    def ready(self) -> None:
        from legaltracker.cases.facts import FACT_SOURCES

        from .facts import court_facts

        FACT_SOURCES.append(court_facts)
        post_migrate.connect(reference_data_back, sender=self)


def reference_data_back(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """Put back the court centres and standard directions the data migration seeds when
    their tables are empty after a migrate or a flush (as Django puts back content types):
    a database flushed and migrated again, and the test runner's flush after each
    transactional test, would otherwise leave a council with no court to choose. Tables
    that hold any row are left as the administrator keeps them."""
    if apps is None:  # a flush sends no migration state: the installed models
        from django.apps import apps as installed

        apps = installed
    centres = apps.get_model("court", "CourtCentre")
    if centres.objects.exists():
        return
    seeding = importlib.import_module(
        "legaltracker.court.migrations.0002_seed_court_centres_and_standard_directions"
    )
    seeding.seed(apps, None)
