"""Give every article published before revisions were kept its revision 1."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from rejoinder.inline.text import extract_text


def record_first_revisions(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Article = apps.get_model("pages", "Article")
    ArticleRevision = apps.get_model("inline", "ArticleRevision")
    known = set(ArticleRevision.objects.values_list("page_id", flat=True))
    ArticleRevision.objects.bulk_create(
        ArticleRevision(
            page_id=article.page_id,
            number=1,
            body=article.body,
            text=extract_text(article.body_html).text,
        )
        for article in Article.objects.exclude(page_id__in=known)
    )


class Migration(migrations.Migration):
    dependencies = [("inline", "0001_initial"), ("pages", "0002_default_site")]

    operations = [migrations.RunPython(record_first_revisions, migrations.RunPython.noop)]
