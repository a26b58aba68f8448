"""Seed the PPOutcome table with our best reading of the draft guidance, unconfirmed
(docs/census.md, "The outcome codes"). The values are written out here, not imported, so
the migration keeps meaning what it meant when it was written."""

from django.db import migrations

DRAFT = "Best reading of the draft, not confirmed."
ROWS = [
    ("issue_decided", "A", "The sample return reports A with a court application: " + DRAFT),
    ("stepped_down_child_protection_plan", "B", DRAFT),
    ("stepped_down_child_in_need_plan", "B", DRAFT),
    ("stepped_down_no_further_action", "B", DRAFT),
    ("stepped_down", "B", DRAFT),
    ("continue_plan", "B", "Pre-proceedings ended without proceedings: " + DRAFT),
    ("withdrawn", "C", DRAFT),
    ("transferred_out", "C", DRAFT),
    ("other", "C", DRAFT),
]


def seed(apps, schema_editor):
    OutcomeCode = apps.get_model("census", "OutcomeCode")
    for ending, code, note in ROWS:
        OutcomeCode.objects.get_or_create(
            ending=ending, defaults={"code": code, "note": note, "confirmed": False}
        )


def unseed(apps, schema_editor):
    OutcomeCode = apps.get_model("census", "OutcomeCode")
    OutcomeCode.objects.filter(ending__in=[row[0] for row in ROWS], confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [("census", "0001_outcome_codes")]

    operations = [migrations.RunPython(seed, unseed)]
