"""Finding any case (docs/decisions.md, "Finding any case"; docs/performance.md, "Find a
case"): every case's search text rewritten to hold its court case number and its
children's LA child ids too, on PostgreSQL a trigram index on every case's text (the
board's index, 0004, covers the open cases only), and indexes on the children's dates of
birth for a search by date.
"""

from django.db import migrations, models

from legaltracker.cases import search

INDEX = "case_search_all_trgm"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # One set-based UPDATE over every case (seconds for 200,000), then the index.
        schema_editor.execute(search.refresh_sql(every_case=True))
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON cases_case USING gin (search_text gin_trgm_ops)"
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
        ("cases", "0005_child_la_child_id"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=models.Index(fields=["date_of_birth"], name="child_born_on"),
        ),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(fields=["expected_date_of_birth"], name="child_expected_on"),
        ),
        migrations.RunPython(fill, unfill),
    ]
