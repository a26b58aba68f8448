"""The letters' settings, each with its default, read in one place.

Every name here can be set in the Django settings (and so from the environment, in
legaltracker/settings/base.py). The council's own details and its list of local
solicitors are kept in the admin (`CouncilDetails`, `LocalSolicitor`): the row wins, the
settings are the fallback, and the invented council below is the last resort, so that a
fresh install produces complete letters. Production refuses to start while the invented
council or solicitors would go into letters (system check letters.E006,
docs/council-details.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

LETTERS_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(getattr(settings, "BASE_DIR", LETTERS_DIR.parent))
SHIPPED_TEMPLATE_DIR = BASE_DIR / "templates" / "letters" / "docx"
DEFAULT_LOGO = SHIPPED_TEMPLATE_DIR / "council_logo.png"

# An invented council: 01632 960xxx numbers and example.org addresses are reserved for
# fiction (Ofcom, RFC 2606).
DEFAULT_COUNCIL: dict[str, Any] = {
    "name": "Eastbrook Borough Council",
    "department": "Children's Services",
    "address": ["Civic Centre", "1 Market Street", "Eastbrook", "EB1 1AA"],
    "phone": "01632 960 000",
    "email": "childrens.services@example.org",
    "website": "www.eastbrook.example.org",
}

# Local solicitors who take children's cases (docs/domain/letters.md, part 9). Invented.
DEFAULT_SOLICITORS: list[dict[str, str]] = [
    {
        "name": "Marsh and Kettle Solicitors",
        "phone": "01632 960 210",
        "address": "4 Bridge Street, Eastbrook",
    },
    {"name": "Oakley Family Law", "phone": "01632 960 345", "address": "12 Park Row, Eastbrook"},
    {"name": "Castle Lane Legal", "phone": "01632 960 478", "address": "7 Castle Lane, Westbrook"},
]


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def council_row() -> Any:
    """The council's details kept in the admin, or None while there is no row."""
    from .models import CouncilDetails

    return CouncilDetails.objects.order_by("pk").first()


def _lines(text: str, separator: str) -> list[str]:
    return [line.strip() for line in text.split(separator) if line.strip()]


def council_from_settings() -> dict[str, Any]:
    """The council from the settings (the environment), each missing value invented."""
    values = dict(DEFAULT_COUNCIL)
    for key in DEFAULT_COUNCIL:
        configured = _get(f"LEGALTRACKER_COUNCIL_{key.upper()}", None)
        if configured:
            values[key] = configured
    if isinstance(values["address"], str):
        # From the environment the address comes as one line: "Civic Centre|1 Market Street".
        values["address"] = _lines(values["address"], "|")
    return values


def council(row: Any = ...) -> dict[str, Any]:
    """The council's name, department, address lines, phone, email, website and the
    person who signs for it: the admin's row first, the settings where the row is empty."""
    values = council_from_settings()
    values["signatory_name"] = ""
    values["signatory_role"] = ""
    if row is ...:
        row = council_row()
    if row is None:
        return values
    for key in ("name", "department", "phone", "email", "website"):
        if getattr(row, key, ""):
            values[key] = getattr(row, key)
    address = _lines(row.address or "", "\n")
    if address:
        values["address"] = address
    values["signatory_name"] = row.signatory_name or ""
    values["signatory_role"] = row.signatory_role or ""
    return values


def council_logo() -> Path:
    """The logo file from the settings (the admin's uploaded logo, if any, wins: see
    `selectors.council_logo`)."""
    return Path(_get("LEGALTRACKER_COUNCIL_LOGO", "") or DEFAULT_LOGO)


def solicitors() -> list[dict[str, str]]:
    """The local solicitors in letters: the admin's active rows in order, else the
    settings' list, else the invented one."""
    from .models import LocalSolicitor

    rows = LocalSolicitor.objects.filter(active=True).order_by("position", "firm", "id")
    listed = [{"name": r.firm, "phone": r.phone, "address": r.address} for r in rows]
    return listed or list(_get("LEGALTRACKER_SOLICITORS", None) or DEFAULT_SOLICITORS)


def is_production() -> bool:
    """Running with the production settings module (legaltracker/settings/production.py)."""
    return str(getattr(settings, "SETTINGS_MODULE", "") or "").endswith(".production")


def nation() -> str:
    return str(_get("LEGALTRACKER_NATION", "england"))


def storage_root() -> Path:
    """Where letter files live: outside STATIC_ROOT and MEDIA_ROOT, served only by the
    letters' download view."""
    configured = _get("LETTERS_STORAGE_ROOT", "")
    if configured:
        return Path(configured)
    return Path(_get("PRIVATE_STORAGE_ROOT", BASE_DIR / "var" / "private")) / "letters"


def approval_min_reading_ease() -> float:
    """Below this Flesch reading ease a letter needs a manager's override to be approved:
    the target itself (docs/letters-approval.md), not a lower bar."""
    return float(readability_targets()["reading_ease"])


def readability_targets() -> dict[str, float]:
    """What the shipped templates must reach with demo data (docs/domain/letters.md)."""
    defaults = {"reading_ease": 70.0, "grade": 6.0, "sentence_words": 25}
    return {**defaults, **(_get("READABILITY_TARGETS", None) or {})}


def jargon_overrides() -> dict[str, str]:
    """Extra jargon terms and their plain alternatives (an empty alternative removes a
    term from the default list)."""
    return dict(_get("READABILITY_JARGON", None) or {})


def soffice_binary() -> str:
    return str(_get("LETTERS_SOFFICE", "soffice"))


def pdf_timeout_seconds() -> int:
    return int(_get("LETTERS_PDF_TIMEOUT", 45))


def web_timeout_seconds() -> int:
    """How long the web server lets a request run (gunicorn's --timeout)."""
    return int(_get("WEB_TIMEOUT", 60))


# What a PDF download needs besides the conversion (reading and checking the Word file,
# the audit row, sending the PDF), and then some.
PDF_REQUEST_MARGIN_SECONDS = 15
