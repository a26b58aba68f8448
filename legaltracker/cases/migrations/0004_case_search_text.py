"""The folded search text of each case and, on PostgreSQL, a trigram index on the open
cases' text (docs/performance.md, "Search").

The text is filled by 0006, which runs the refresh of today's `cases.search` once the
columns it reads (`Child.la_child_id`, added by 0005) exist; this migration used to fill
it too, with the code of its day, which on a fresh database would now read a column not
yet there. A database that ran the old fill is simply filled again by 0006.

pg_trgm is a trusted extension: the database owner that runs `migrate` may create it, and
the runtime role needs no grant to use its index (docs/operations.md, "Two database roles").
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX = "case_search_open_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON cases_case USING gin (search_text gin_trgm_ops) "
            "WHERE stage <> 'closed'"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_case_event_chain_hash"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
