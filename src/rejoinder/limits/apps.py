from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "rejoinder.limits"
    label = "limits"
    verbose_name = _("Limits")

    def ready(self) -> None:
        from rejoinder.limits.ratelimit import purge_rate_counters
        from rejoinder.outbox.worker import register_step

        register_step("rate-counters", purge_rate_counters, every_seconds=600)
