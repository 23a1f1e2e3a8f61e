from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "rejoinder.outbox"
    label = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self) -> None:
        from rejoinder.outbox import checks  # noqa: F401 - registers the system checks
        from rejoinder.outbox.sending import purge_old_mail
        from rejoinder.outbox.worker import register_step

        register_step("outbox-purge", purge_old_mail, every_seconds=3600)
