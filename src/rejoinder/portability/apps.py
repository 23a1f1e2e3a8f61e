from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortabilityConfig(AppConfig):
    name = "rejoinder.portability"
    label = "portability"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from rejoinder.outbox.worker import register_step
        from rejoinder.portability.jobs import run_next_import

        # Imports queued in the admin; one per round, so the mail still goes out between.
        register_step("imports", run_next_import)
