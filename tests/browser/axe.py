"""axe-core in the browser: `assert_no_axe_violations(page)` runs the vendored axe on the
page as it stands and fails listing every violation (rule id, impact, the nodes).

The rules are WCAG 2.0, 2.1 and 2.2 at levels A and AA plus axe's best practices: the
issue asks for WCAG 2.2 AA, and the best practices catch what people notice first
(landmarks, heading order, duplicate ids).

The tracker in `conftest.py` knows which documents a test loaded and which were checked,
so that a page visited without a check fails the test.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from playwright.sync_api import Page

AXE_PATH = Path(settings.BASE_DIR) / "static" / "vendor" / "js" / "axe.min.js"
AXE_TAGS = (
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
)

_RUN_AXE = """async (tags) => {
  const results = await window.axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(' '), html: n.html, summary: n.failureSummary,
    })),
  }));
}"""


@dataclass
class AxeTracker:
    """Documents loaded in one page (tab) and whether axe checked each of them."""

    unchecked: str | None = None
    missed: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def loaded(self, url: str) -> None:
        if self.unchecked is not None:
            self.missed.append(self.unchecked)
        self.unchecked = url


_trackers: weakref.WeakKeyDictionary[Page, AxeTracker] = weakref.WeakKeyDictionary()
# Every page checked in this run with its violations, for the report (`-s` prints it).
checked_pages: list[tuple[str, list[dict[str, Any]]]] = []


def track(page: Page) -> AxeTracker:
    tracker = AxeTracker()
    _trackers[page] = tracker
    page.on("load", lambda: tracker.loaded(page.url))
    return tracker


def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(
            f"axe-core is missing at {AXE_PATH}; scripts/vendor_frontend vendors it."
        )
    return AXE_PATH.read_text(encoding="utf-8")


def run_axe(page: Page) -> list[dict[str, Any]]:
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated rather than added as a <script>: a strict Content Security Policy on
        # the page cannot block it, and axe does not see its own script in the DOM.
        page.evaluate(_axe_source())
    violations = page.evaluate(_RUN_AXE, list(AXE_TAGS))
    tracker = _trackers.get(page)
    if tracker is not None:
        tracker.unchecked = None
        tracker.checked.append(page.url)
    checked_pages.append((page.url, violations))
    return violations


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    parts = urlsplit(url)
    where = f"{parts.path}?{parts.query}" if parts.query else parts.path
    lines = [f"axe found {len(violations)} violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    violations = run_axe(page)
    assert not violations, describe(page.url, violations)
