from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="la_child_id",
            field=models.CharField(
                blank=True,
                help_text="At most 10 characters",
                max_length=10,
                verbose_name="LA child identifier",
            ),
        ),
    ]
