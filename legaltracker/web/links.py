"""Links to pages other apps own, with a fixed path until those apps route them.

The board and the case pages are written alongside this app; until their URL names
exist, links fall back to the paths the web contract fixes (web.md).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def url_or(name: str, fallback: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def case_url(case_id: int) -> str:
    return url_or("casework:case_detail", f"/cases/{int(case_id)}/", case_id)
