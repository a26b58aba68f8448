"""Work a web process does once at start instead of in its first request.

Django imports the URL configuration (and with it every view module, the API and its
serializers) and compiles each template on first use, so a freshly started gunicorn
worker made its first person wait about a second longer than the next one
(docs/performance.md, "Tracker board"). `warm()` does that work while the worker starts.
It touches no database: a worker may start before the database is reachable
(docs/operations.md, "When the database goes away").
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver


def project_templates() -> list[str]:
    """The names of the project's own templates (`templates/`), sorted."""
    names: list[str] = []
    directories = cast(list[Path], settings.TEMPLATES[0]["DIRS"])
    for directory in directories:
        root = Path(directory)
        names += [str(path.relative_to(root)) for path in root.rglob("*.html")]
    return sorted(names)


def warm() -> int:
    """Import every view and compile every project template; returns how many templates."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - importing the URL modules is the point
    resolver.reverse_dict  # noqa: B018 - builds the reverse lookup the pages' links use
    templates = project_templates()
    for name in templates:
        get_template(name)
    return len(templates)
