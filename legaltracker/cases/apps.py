import importlib
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "legaltracker.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        post_migrate.connect(day1_checklist_back, sender=self)


def day1_checklist_back(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """Put back the shipped Day 1 checklist when its table is empty after a migrate or a
    flush (the test runner's flush after each transactional test empties it), as the
    court centres are (legaltracker/court/apps.py). A table holding any row is the
    council's and is left alone."""
    if apps is None:  # a flush sends no migration state: the installed models
        from django.apps import apps as installed

        apps = installed
    if apps.get_model("cases", "Day1ChecklistItem").objects.exists():
        return
    seeding = importlib.import_module("legaltracker.cases.migrations.0014_day1_checklist_item")
    seeding.seed(apps, None)
