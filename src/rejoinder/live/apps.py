from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "rejoinder.live"
    label = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from rejoinder.live.recording import forget_pages, listen
        from rejoinder.live.store import purge_old_events
        from rejoinder.outbox.worker import register_step
        from rejoinder.privacy.collection import register_store

        listen()
        register_store("live_events", erase=lambda scope, erased: forget_pages(erased.page_ids))
        register_step("live-events", purge_old_events, every_seconds=60)
