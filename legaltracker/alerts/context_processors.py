"""The unread count for the header (templates/alerts/_header_link.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors


class _LazyCount:
    """Counted on first use in a template, once per request: pages that do not show the
    header link cost no query."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = selectors.unread_count(self.user)
        return self.value


def alerts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"alerts_unread_count": _LazyCount(user)}
