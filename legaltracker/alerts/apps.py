from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _sync_schedules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from django_q.models import Schedule

    from . import conf, schedules

    if not conf.get("ALERTS_SYNC_SCHEDULES_ON_MIGRATE"):
        return
    # `migrate <one app>` can run before django_q's own tables exist.
    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return
    schedules.sync_schedules()


class AlertsConfig(AppConfig):
    name = "legaltracker.alerts"
    label = "alerts"
    verbose_name = "Deadline alerts"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        from legaltracker.cases.signals import extension_request_changed

        from . import approvals, checks, tasks  # noqa: F401 - importing checks registers them

        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="alerts-schedules")
        post_spawn.connect(tasks.on_worker_start, dispatch_uid="alerts-worker-start")
        extension_request_changed.connect(
            approvals.extension_request_changed, dispatch_uid="alerts-extension-requests"
        )
