"""The database table of the API throttle's shared cache, when the cache is the database
(docs/security.md, "Finding 4"): made by `migrate`, so that no deployment step can be
forgotten. With Redis configured there is nothing to make."""

from django.core.management import call_command
from django.db import migrations


def make_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(make_cache_table, migrations.RunPython.noop)]
