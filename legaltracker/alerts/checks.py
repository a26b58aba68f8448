"""System checks: the alerts app refuses to start (runserver, migrate, qcluster all run
the checks) with settings that would break its promises.

The one that matters most: django-q2 redelivers a task that has not been acknowledged
after `retry` seconds. If `retry` is not longer than `timeout`, a task still running
is handed to a second worker: measured, not theoretical.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from . import conf
from .choices import Channel


@register("alerts")
def check_alert_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    cluster = getattr(settings, "Q_CLUSTER", {}) or {}
    timeout, retry = cluster.get("timeout"), cluster.get("retry")
    if not isinstance(timeout, int) or not isinstance(retry, int) or timeout <= 0:
        problems.append(
            Error(
                "Q_CLUSTER must set 'timeout' and 'retry' as whole numbers of seconds.",
                hint="For example 'timeout': 120, 'retry': 300.",
                id="alerts.E001",
            )
        )
    elif retry <= timeout:
        problems.append(
            Error(
                f"Q_CLUSTER 'retry' ({retry}) must be longer than 'timeout' ({timeout}).",
                hint="Otherwise django-q2 hands a task that is still running to a second "
                "worker. Make retry longer than timeout.",
                id="alerts.E002",
            )
        )
    if not cluster.get("orm") and not cluster.get("redis"):
        problems.append(
            Error(
                "Q_CLUSTER must name a broker: 'orm' (a database alias) or 'redis'.",
                id="alerts.E003",
            )
        )
    try:
        conf.daily_time()
    except ValueError:
        problems.append(
            Error(
                f"ALERTS_DAILY_TIME must be HH:MM (got {conf.get('ALERTS_DAILY_TIME')!r}).",
                id="alerts.E004",
            )
        )
    channel = conf.get("ALERTS_CHANNEL")
    if channel not in Channel.values:
        problems.append(
            Error(
                f"ALERTS_CHANNEL must be one of {', '.join(Channel.values)} (got {channel!r}).",
                id="alerts.E005",
            )
        )
    elif channel == Channel.NOTIFY and not (
        conf.get("NOTIFY_API_KEY") and conf.get("NOTIFY_TEMPLATE_ID")
    ):
        problems.append(
            Error(
                "ALERTS_CHANNEL is 'notify' but NOTIFY_API_KEY or NOTIFY_TEMPLATE_ID is not set.",
                id="alerts.E006",
            )
        )
    if isinstance(timeout, int) and float(conf.get("ALERTS_RETRY_WAIT_SECONDS")) >= timeout / 2:
        problems.append(
            Error(
                "ALERTS_RETRY_WAIT_SECONDS must be less than half of Q_CLUSTER 'timeout'.",
                hint="A task that waits longer is killed by django-q2 before it sends.",
                id="alerts.E007",
            )
        )
    backend = getattr(settings, "EMAIL_BACKEND", "")
    email_timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    if (
        backend.endswith("smtp.EmailBackend")
        and isinstance(timeout, int)
        and (email_timeout is None or email_timeout >= timeout)
    ):
        problems.append(
            Warning(
                "EMAIL_TIMEOUT should be set, and shorter than Q_CLUSTER 'timeout'.",
                hint="Without it a mail server that stops answering holds a worker until "
                "django-q2 kills it.",
                id="alerts.W001",
            )
        )
    return problems
