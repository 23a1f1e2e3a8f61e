from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "rejoinder.live"
    label = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from rejoinder.live.recording import listen
        from rejoinder.live.store import purge_old_events
        from rejoinder.outbox.worker import register_step

        listen()
        register_step("live-events", purge_old_events, every_seconds=60)
