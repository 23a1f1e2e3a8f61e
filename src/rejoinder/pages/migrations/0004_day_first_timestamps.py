"""Comment times read day-month-year (23-03-20 08:48 is 23 March 2020).

Sites still on the old default (year first, 'y-m-d H:i') move to the new one; a format an
administrator chose is left alone.
"""

from django.db import migrations, models

OLD_DEFAULT = "y-m-d H:i"
NEW_DEFAULT = "d-m-y H:i"


def use_day_first_timestamps(apps, schema_editor):  # type: ignore[no-untyped-def]
    Site = apps.get_model("pages", "Site")
    Site.objects.filter(date_format=OLD_DEFAULT).update(date_format=NEW_DEFAULT)


def use_year_first_timestamps(apps, schema_editor):  # type: ignore[no-untyped-def]
    Site = apps.get_model("pages", "Site")
    Site.objects.filter(date_format=NEW_DEFAULT).update(date_format=OLD_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_bound_votes_and_ratings_per_address")]

    operations = [
        migrations.AlterField(
            model_name="site",
            name="date_format",
            field=models.CharField(
                default=NEW_DEFAULT,
                help_text=(
                    "How comment times are shown, as a Django date format: 'd-m-y H:i' "
                    "(day-month-year) shows 23-03-20 08:48 for 23 March 2020."
                ),
                max_length=40,
                verbose_name="timestamp format",
            ),
        ),
        migrations.RunPython(use_day_first_timestamps, use_year_first_timestamps),
    ]
