"""A web process loads its views and compiles its templates as it starts
(legaltracker/core/warmup.py), so that nobody's request pays for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from legaltracker.core import warmup

REPO = Path(__file__).resolve().parents[2]

# Run in a new interpreter: which templates are compiled, and whether the URL modules are
# imported, is per process, and this one has served other tests already.
PROBE = """
import json
import legaltracker.wsgi
from django.template import engines
from django.urls import get_resolver
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "compiled": sorted(name for name in loader.get_template_cache),
    "views_imported": get_resolver()._populated,
}))
"""


def test_every_project_template_is_found():
    names = warmup.project_templates()
    on_disk = sorted(
        str(path.relative_to(settings.BASE_DIR / "templates"))
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
    )
    assert names == on_disk
    assert "board/board.html" in names and "base.html" in names


def test_the_wsgi_application_starts_warm():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "legaltracker.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["views_imported"]
    assert set(warmup.project_templates()) <= set(state["compiled"])
