"""Who may see a case is written once, in `legaltracker/cases/permissions.py`
(`can_view_case`, `filter_visible_cases`). This reads every module of the project and
fails if another one reaches past it to the restriction checks or the cross-team roles,
so a new page cannot grow its own version of the rule."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    ROOT / "legaltracker" / "cases" / "permissions.py",  # the rule
    ROOT / "legaltracker" / "accounts" / "models.py",  # where the role set is declared
}
# The restriction checks and the set of roles that read every team's cases.
PARTS_OF_THE_RULE = re.compile(
    r"\brestrictions\.allows\b|\ballows\("
    r"|\b(allowed_filter|filter_allowed|unnamed_case_ids|ALL_CASES_ROLES)\b"
)


def _project_modules() -> list[Path]:
    return [
        path
        for package in ("legaltracker", "letters")
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and path not in ALLOWED
    ]


def test_no_module_but_cases_permissions_uses_the_parts_of_the_rule():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _project_modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PARTS_OF_THE_RULE.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
