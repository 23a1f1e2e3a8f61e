from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "rejoinder.privacy"
    label = "privacy"
    verbose_name = _("Readers' data")

    def ready(self) -> None:
        from rejoinder.privacy.stores import register

        register()
