import csv
import io
from typing import Any

from legaltracker.imports.parsing import template_headings

PRE_PROCEEDINGS_ROW = {
    "Reference": "TRK-1",
    "Team": "riverside",
    "Social worker": "Sam Brookfield",
    "Opened on": "05/01/2026",
    "Child first name": "Ada",
    "Child last name": "Ashcombe",
    "Child date of birth": "14 June 2019",
    "LA child id": "",
    "UPN": "",
    "CIN referral date": "",
    "CIN episode id": "",
    "Parent first name": "Cleo",
    "Parent last name": "Ashcombe",
    "Parent relationship": "mum",
    "Stage": "PLO",
    "Referred to gateway on": "2026-01-20",
    "Gateway meeting on": "46051",  # Excel's day number for 29 January 2026
    "Threshold view": "Met",
    "Gateway chair": "Maya Fernsby",
    "Gateway lawyer": "Leonie Quillon",
    "Letter before proceedings sent on": "3 Feb 26",
    "Initial meeting on": "12/2/2026",
    "Review meeting on": "",
    "Issue decided on": "",
}


def row(**changes: Any) -> dict[str, str]:
    data = dict(PRE_PROCEEDINGS_ROW)
    data.update({k.replace("_", " "): v for k, v in changes.items()})
    return data


def csv_bytes(*rows: dict[str, str], headings: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings or template_headings(), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
