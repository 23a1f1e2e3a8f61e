"""Rate counters now belong to `limits` (its migration 0001 keeps the table and its rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_flag_reason_labels"),
        ("limits", "0001_rate_counters_from_moderation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateCounter")]
        )
    ]
