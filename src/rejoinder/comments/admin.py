from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment, Commenter, CommentStatus, Vote
from rejoinder.comments.posting import approve_comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "author_name",
        "page",
        "status",
        "depth",
        "created_at",
        "upvotes",
        "downvotes",
    ]
    list_filter = ["status", "page__site"]
    search_fields = ["author_name", "body"]
    raw_id_fields = ["page", "author", "parent", "root", "reply_to"]
    # Status changes go through actions, which keep counters, caches and notifications right.
    readonly_fields = ["status", "body_html", "score", "upvotes", "downvotes", "ip_hash"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected pending comments"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        pending = list(queryset.filter(status=CommentStatus.PENDING).values_list("pk", flat=True))
        for comment_id in pending:
            approve_comment(comment_id=comment_id)
        self.message_user(
            request, _("%(n)d comments approved.") % {"n": len(pending)}, messages.SUCCESS
        )


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    list_display = ["id", "display_name", "user", "created_at"]
    search_fields = ["display_name", "email"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["comment", "voter", "value", "created_at"]
    raw_id_fields = ["comment", "voter"]
