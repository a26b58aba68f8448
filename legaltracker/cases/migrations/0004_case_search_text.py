"""The folded search text of each case, filled for every existing case, and on PostgreSQL
a trigram index on the open cases' text (docs/performance.md, "Search").

pg_trgm is a trusted extension: the database owner that runs `migrate` may create it, and
the runtime role needs no grant to use its index (docs/operations.md, "Two database roles").
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from legaltracker.cases import search

INDEX = "case_search_open_trgm"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # One set-based UPDATE over every case (seconds for 200,000), then the index.
        schema_editor.execute(search.refresh_sql(every_case=True))
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON cases_case USING gin (search_text gin_trgm_ops) "
            "WHERE stage <> 'closed'"
        )
        schema_editor.execute("ANALYZE cases_case")
        return
    case, child, adult = (apps.get_model("cases", name) for name in ("Case", "Child", "Adult"))
    ids = list(case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        texts = search.compute_texts(case, child, adult, ids[start : start + 500])
        for pk, text in texts.items():
            case.objects.filter(pk=pk).update(search_text=text)


def unfill(apps, schema_editor):
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
        migrations.RunPython(fill, unfill),
    ]
