from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "rejoinder.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from rejoinder.comments.policy import set_moderation_policy
        from rejoinder.moderation.policy import SitePolicy

        set_moderation_policy(SitePolicy())
