from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _sync_schedule(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from django_q.models import Schedule

    from . import conf, schedules

    if not conf.sync_schedule_on_migrate():
        return
    # `migrate <one app>` can run before django_q's own tables exist.
    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return
    schedules.sync_schedule()


class ExportsConfig(AppConfig):
    name = "legaltracker.exports"
    label = "exports"
    verbose_name = "Exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_sync_schedule, sender=self, dispatch_uid="exports-schedule")
