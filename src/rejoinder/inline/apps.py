from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InlineConfig(AppConfig):
    name = "rejoinder.inline"
    label = "inline"
    verbose_name = _("Inline feedback")

    def ready(self) -> None:
        from rejoinder.inline.revisions import record_revision
        from rejoinder.pages.publishing import on_article_saved

        on_article_saved(record_revision)
