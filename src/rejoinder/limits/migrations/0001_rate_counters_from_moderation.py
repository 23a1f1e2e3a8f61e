"""Rate counters move from `moderation` to `limits`, which the domain apps can import.

The table and its rows are kept: the model is taken over in the migration state only, then
the table is renamed to this app's name.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("moderation", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("bucket", models.CharField(max_length=150)),
                        ("window_start", models.BigIntegerField()),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "moderation_ratecounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("bucket", "window_start"),
                                name="ratecounter_unique_window",
                            )
                        ],
                    },
                )
            ]
        ),
        migrations.AlterModelTable(name="ratecounter", table=None),
    ]
