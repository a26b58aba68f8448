"""Seed the family courts of England and Wales from HMCTS's public list (where it came
from: docs/decisions.md) and a starting set of standard directions. Both are the
council's to edit in the admin afterwards; this runs once."""

import json
from pathlib import Path

from django.db import migrations

COURTS = Path(__file__).resolve().parent.parent / "data" / "court_centres.json"

# Directions most care cases get at the case management hearing (the council's to
# change). (text, party, owner role, weeks after the hearing)
STANDARD_DIRECTIONS = [
    ("Updated social work chronology", "council", "social_worker", 4),
    ("Parenting and viability assessments of family members put forward", "council",
     "social_worker", 8),
    ("Final social work evidence and care plan", "council", "social_worker", 16),
    ("Threshold document, updated", "council", "lawyer", 4),
    ("Parents' responses to threshold", "parent", "social_worker", 6),
    ("Children's guardian's final analysis and recommendations", "guardian", "lawyer", 18),
    ("Case summary, position statement and draft order before the next hearing", "council",
     "lawyer", 2),
]


def seed(apps, schema_editor):
    CourtCentre = apps.get_model("court", "CourtCentre")
    StandardDirection = apps.get_model("court", "StandardDirection")
    rows = json.loads(COURTS.read_text(encoding="utf-8"))
    CourtCentre.objects.bulk_create(
        [CourtCentre(code=r["code"], name=r["name"], region=r["region"]) for r in rows],
        ignore_conflicts=True,
    )
    if not StandardDirection.objects.exists():
        StandardDirection.objects.bulk_create(
            [
                StandardDirection(
                    text=text, party=party, owner_role=owner, weeks_after_hearing=weeks,
                    position=position,
                )
                for position, (text, party, owner, weeks) in enumerate(STANDARD_DIRECTIONS)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("court", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
