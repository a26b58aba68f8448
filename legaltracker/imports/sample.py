"""The invented 500-row sample tracker (samples/council_tracker_sample.csv).

Every name is invented. The teams and social workers are the demo's (`manage.py demo`),
so the sample imports into a demo database; some rows are messy on purpose (docs/imports.md
lists how): dates written every way, blanks, impossible dates, missing required values,
duplicate references, unknown teams and workers, stages spelt loosely, cells that look like
formulas. `python -m legaltracker.imports.sample > file.csv` writes it again (the same
rows for the same seed).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from typing import Any

from .parsing import template_headings

SEED = 2026
ROWS = 500
# The sheet was "exported" on this day: every date in it is on or before it.
EXPORTED_ON = dt.date(2026, 11, 30)

FIRST_NAMES = [
    "Ada",
    "Bryn",
    "Cleo",
    "Dara",
    "Eli",
    "Fen",
    "Gwen",
    "Hal",
    "Ivo",
    "Juno",
    "Kai",
    "Lark",
    "Milo",
    "Nell",
    "Orla",
    "Pip",
    "Quin",
    "Rhea",
    "Sol",
    "Tam",
    "Uma",
    "Vale",
    "Wren",
    "Zed",
]
LAST_NAMES = [
    "Ashcombe",
    "Brindlemoor",
    "Cobbleworth",
    "Dunmarrow",
    "Elderquay",
    "Fallowmere",
    "Glimmerton",
    "Hollowbeck",
    "Inchcarrow",
    "Juniperdale",
    "Kettleburn",
    "Lanternby",
    "Mossgrave",
    "Nettlecombe",
    "Oakenshaw",
    "Pennyweather",
    "Quarrington",
    "Rookhollow",
    "Saltergate",
    "Thistlebrook",
    "Umberfield",
    "Vellacott",
    "Wrenbury",
    "Yarrowfield",
]
TEAMS = {
    "riverside": ["sw-riverside-1", "sw-riverside-2", "Sam Brookfield", "Ife Willowmere"],
    "hilltop": ["sw-hilltop-1", "sw-hilltop-2", "Tom Larchwood", "Nia Crestway"],
    "harbour": ["sw-harbour-1", "sw-harbour-2", "Jas Pebbleton", "Kit Tidewell"],
}
TEAM_SPELLINGS = {
    "riverside": ["riverside", "Riverside", "RIVERSIDE"],
    "hilltop": ["hilltop", "Hilltop"],
    "harbour": ["harbour", "Harbour"],
}
STAGE_SPELLINGS = {
    "concern": ["Concern", "concern", "New concern"],
    "legal_gateway": ["Legal gateway", "Gateway", "LGM", "legal gateway"],
    "pre_proceedings": ["Pre-proceedings", "Pre proceedings", "PLO", "pre-proc", "Pre-Proc"],
    "issue": ["Issue", "To issue", "issue"],
}
CHAIRS = ["Maya Fernsby", "Owen Heatherly", "Priya Saltmarsh", "Harriet Kestrelwood"]
LAWYERS = ["Leonie Quillon", "Morwenna Inkpen"]


def _written(rng: random.Random, day: dt.date | None) -> str:
    """A date written the way one person or another typed it into the tracker."""
    if day is None:
        return ""
    form = rng.randrange(8)
    if form == 0:
        return day.isoformat()
    if form == 1:
        return f"{day.day} {day:%B %Y}"
    if form == 2:
        return f"{day.day} {day:%b %y}"
    if form == 3:
        return str((day - dt.date(1899, 12, 30)).days)  # an Excel day number
    if form == 4:
        return f"{day.day}/{day.month}/{day:%y}"
    if form == 5:
        return f"{day:%d.%m.%Y}"
    return f"{day:%d/%m/%Y}"


def _after(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date | None:
    later = day + dt.timedelta(days=rng.randint(low, high))
    return later if later <= EXPORTED_ON else None


def _row(rng: random.Random, n: int) -> dict[str, str]:
    team = rng.choice(list(TEAMS))
    stage = rng.choices(list(STAGE_SPELLINGS), weights=[15, 20, 45, 20])[0]
    opened = EXPORTED_ON - dt.timedelta(days=rng.randint(60, 400))
    row: dict[str, Any] = {
        "Reference": f"TRK-{n:04d}",
        "Team": rng.choice(TEAM_SPELLINGS[team]),
        "Social worker": rng.choice(TEAMS[team]),
        "Opened on": _written(rng, opened),
        "Child first name": rng.choice(FIRST_NAMES) if rng.random() > 0.05 else "",
        "Child last name": rng.choice(LAST_NAMES),
        "Child date of birth": _written(
            rng,
            opened - dt.timedelta(days=rng.randint(30, 15 * 365)) if rng.random() > 0.2 else None,
        ),
        "Stage": rng.choice(STAGE_SPELLINGS[stage]),
    }
    if rng.random() > 0.3:
        row["Parent first name"] = rng.choice(FIRST_NAMES)
        row["Parent last name"] = row["Child last name"]
        row["Parent relationship"] = rng.choice(["Mother", "mum", "Father", "", "Grandmother"])
    day = opened
    if stage != "concern":
        referred = _after(rng, day, 5, 40) or opened
        row["Referred to gateway on"] = _written(rng, referred)
        day = referred
    if stage in ("pre_proceedings", "issue"):
        gateway = _after(rng, day, 2, 20) or day
        row["Gateway meeting on"] = _written(rng, gateway)
        row["Threshold view"] = rng.choice(["Met", "met", "Finely balanced", "Threshold met"])
        row["Gateway chair"] = rng.choice(CHAIRS)
        row["Gateway lawyer"] = rng.choice(LAWYERS)
        day = gateway
        through_pre = stage == "pre_proceedings" or rng.random() < 0.5
        if through_pre:
            letter = _after(rng, day, 1, 10) if rng.random() < 0.8 else None
            meeting = _after(rng, letter or day, 5, 15) if rng.random() < 0.7 else None
            review = _after(rng, meeting, 28, 70) if meeting and rng.random() < 0.4 else None
            row["Letter before proceedings sent on"] = _written(rng, letter)
            row["Initial meeting on"] = _written(rng, meeting)
            row["Review meeting on"] = _written(rng, review)
            day = review or meeting or letter or day
            if stage == "issue":
                row["Issue decided on"] = _written(rng, _after(rng, day, 7, 60) or day)
    return {heading: str(row.get(heading, "")) for heading in template_headings()}


def _mess(rng: random.Random, rows: list[dict[str, str]]) -> None:
    """The mistakes a real tracker holds, each on a few rows."""

    def some(count: int) -> list[dict[str, str]]:
        return rng.sample(rows, count)

    for row in some(3):
        row["Team"] = ""
    for row in some(2):
        row["Child last name"] = ""
    for row in some(2):
        row["Opened on"] = ""
    for row in some(4):
        row["Team"] = rng.choice(["Eastside", "north-west", "Duty and Assessment"])
    for row in some(4):
        row["Social worker"] = rng.choice(["J Bloggs", "agency worker", "sw-riverside-9"])
    for row, bad in zip(some(3), ["31/02/2026", "30/02/2026", "31/04/2026"], strict=True):
        row["Opened on"] = bad
    for row in some(3):
        row["Child date of birth"] = rng.choice(["TBC", "unknown", "next week"])
    for row in some(3):
        row["Stage"] = rng.choice(["Care proceedings", "In court"])
    for row in some(2):
        row["Stage"] = "Closed"
    for row in some(2):
        row["Stage"] = "Assessment"
    for row in some(3):
        row["Child first name"] = rng.choice(
            ['=HYPERLINK("http://example.invalid","click")', "+SUM(1,2)", "@cmd"]
        )
    # The gateway meeting typed before the referral to it.
    later = [
        r
        for r in rows
        if r["Gateway meeting on"] and r["Stage"] in STAGE_SPELLINGS["pre_proceedings"]
    ]
    for row in rng.sample(later, 2):
        row["Referred to gateway on"], row["Gateway meeting on"] = "20/11/2026", "10/11/2026"
        row["Letter before proceedings sent on"] = row["Initial meeting on"] = ""
        row["Review meeting on"] = ""
    # A year typed wrong: the case would be opened in the future.
    rng.choice(rows)["Opened on"] = "05/01/2027"
    # Four references typed twice.
    for row, earlier in zip(rows[-4:], rows[10:14], strict=True):
        row["Reference"] = earlier["Reference"]


def sample_rows(seed: int = SEED, count: int = ROWS) -> list[dict[str, str]]:
    rng = random.Random(seed)  # nosec B311  # invented data, not security
    rows = [_row(rng, n) for n in range(1, count + 1)]
    _mess(rng, rows)
    return rows


def write_csv(out: Any, rows: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(out, fieldnames=template_headings(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":  # pragma: no cover
    write_csv(sys.stdout, sample_rows())
