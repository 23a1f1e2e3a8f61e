from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "rejoinder.subscriptions"
    label = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        from rejoinder.comments.events import CommentPublished, on
        from rejoinder.outbox.worker import register_step
        from rejoinder.subscriptions.fanout import deliver_due, record_fanout_job

        on(CommentPublished, record_fanout_job, within_transaction=True)
        register_step("notifications", deliver_due)

        from rejoinder.accounts.merging import on_merge
        from rejoinder.subscriptions.merging import merge_subscriptions

        on_merge(merge_subscriptions)
