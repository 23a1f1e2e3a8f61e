from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "rejoinder.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from rejoinder.comments.events import CommentHeld, on
        from rejoinder.comments.policy import set_moderation_policy
        from rejoinder.moderation.alerts import alert_on_held
        from rejoinder.moderation.policy import SitePolicy

        set_moderation_policy(SitePolicy())
        # Inside the transaction: the alert mail is queued with the comment, or not at all.
        on(CommentHeld, alert_on_held, within_transaction=True)

        from rejoinder.accounts.merging import on_merge
        from rejoinder.moderation.merging import merge_moderation

        on_merge(merge_moderation)
