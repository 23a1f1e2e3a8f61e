from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortabilityConfig(AppConfig):
    name = "rejoinder.portability"
    label = "portability"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from rejoinder.outbox.worker import register_step
        from rejoinder.portability.jobs import run_next_import
        from rejoinder.portability.models import forget_sources
        from rejoinder.privacy.collection import register_store

        register_store(
            "import_sources",
            erase=lambda scope, erased: forget_sources(scope.commenter_ids, erased.comment_ids),
        )

        # Imports queued in the admin; one per round, so the mail still goes out between.
        register_step("imports", run_next_import)
