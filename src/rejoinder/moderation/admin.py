from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.comments.admin import CommentAdmin
from rejoinder.comments.models import Comment
from rejoinder.email_address import clean_email_address
from rejoinder.errors import RejoinderError
from rejoinder.moderation.actions import moderate
from rejoinder.moderation.models import (
    AuditEntry,
    Ban,
    Flag,
    ModeratorRole,
    PageModeration,
    SiteModeration,
)


@admin.register(SiteModeration)
class SiteModerationAdmin(admin.ModelAdmin):
    list_display = ["site", "mode", "spam_threshold", "spam_action", "flags_to_hide"]


@admin.register(PageModeration)
class PageModerationAdmin(admin.ModelAdmin):
    list_display = ["page", "mode"]
    raw_id_fields = ["page"]


@admin.register(ModeratorRole)
class ModeratorRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "site", "role"]
    list_filter = ["site", "role"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "created_at", "resolved"]
    list_filter = ["reason", "resolved"]
    raw_id_fields = ["comment", "reader"]
    # Resolving goes through moderation actions, which keep the audit log and counts right.
    readonly_fields = ["comment", "reader", "ip_hash", "reason", "note", "created_at", "resolved"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["id", "site", "commenter", "shadow", "until", "lifted_at", "created_by"]
    list_filter = ["site", "shadow"]
    raw_id_fields = ["commenter"]
    readonly_fields = ["ip_hash", "created_by", "created_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "site",
        "moderator",
        "action",
        "comment",
        "previous_status",
        "new_status",
    ]
    list_filter = ["site", "action"]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:  # type: ignore[override]
        return False


class ModeratedCommentAdmin(CommentAdmin):
    """The comments admin, with status changes made as moderation actions.

    Going through `moderate` keeps the audit log, undo and the site's spam model in step with
    what is done here, exactly as on the moderation page.
    """

    actions = ["approve", "remove", "mark_spam", "restore"]

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Comment], action: str) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        try:
            entries = moderate(comment_ids=ids, action=action, moderator=request.user)
        except RejoinderError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(n)d comment changed.", "%(n)d comments changed.", len(entries))
            % {"n": len(entries)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve the selected comments"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "approve")

    @admin.action(description=_("Remove the selected comments"))
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "remove")

    @admin.action(description=_("Mark the selected comments as spam"))
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "spam")

    @admin.action(description=_("Restore the selected removed or spam comments"))
    def restore(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "restore")


admin.site.unregister(Comment)
admin.site.register(Comment, ModeratedCommentAdmin)


class AccountForm(UserChangeForm):
    """The account form, with email addresses checked as everywhere else: alerts go there."""

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        if email:
            try:
                clean_email_address(email, field="email")
            except RejoinderError as error:
                raise forms.ValidationError(error.message) from None
        return email


class AccountAdmin(UserAdmin):
    form = AccountForm


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
