from django.db import migrations


def create_default_site(apps, schema_editor):  # type: ignore[no-untyped-def]
    Site = apps.get_model("pages", "Site")
    if not Site.objects.exists():
        Site.objects.create(name="Rejoinder", domain="127.0.0.1")


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]
    operations = [migrations.RunPython(create_default_site, migrations.RunPython.noop)]
