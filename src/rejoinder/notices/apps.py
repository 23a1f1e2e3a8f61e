from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "rejoinder.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from rejoinder.accounts.merging import on_merge
        from rejoinder.comments.events import CommentDeleted, CommentHidden, CommentPublished, on
        from rejoinder.notices.recording import drop_notices, merge_notices, record_notices

        on(CommentPublished, record_notices)
        on(CommentHidden, drop_notices, within_transaction=True)
        on(CommentDeleted, drop_notices, within_transaction=True)
        on_merge(merge_notices)
