"""The Day 1 checklist as a table the council edits in the admin, seeded with the five
PD12A annex documents the tracker has always required and the threshold document, which
goes with the application under the 2023 relaunch of the PLO."""

from django.db import migrations, models

# A copy, not an import: a migration keeps the data it shipped with.
SHIPPED = [
    ("chronology", "Social work chronology"),
    ("social_work_statement_and_genogram", "Social work statement and genogram"),
    ("current_assessments", "Current assessments"),
    ("care_plan", "Care plan"),
    ("index_of_checklist_documents", "Index of checklist documents"),
    ("threshold", "Threshold document"),
]


def seed(apps, schema_editor):
    item = apps.get_model("cases", "Day1ChecklistItem")
    for position, (code, label) in enumerate(SHIPPED, start=1):
        item.objects.get_or_create(
            code=code, defaults={"label": label, "position": position * 10, "active": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_alter_caseevent_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="Day1ChecklistItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="Kept on recorded events", max_length=60, unique=True
                    ),
                ),
                ("label", models.CharField(max_length=200)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("active", models.BooleanField(default=True, help_text="Required before issue")),
            ],
            options={
                "verbose_name": "Day 1 checklist item",
                "ordering": ["position", "id"],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
