from django.contrib import admin

from rejoinder.comments.models import Comment, Commenter, Vote


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
    # Status changes only through the moderation actions (`moderation.admin` adds them), which
    # keep counters, caches, notifications, the audit log and the spam model right.
    readonly_fields = ["status", "body_html", "score", "upvotes", "downvotes", "ip_hash"]


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    list_display = ["id", "display_name", "user", "created_at"]
    search_fields = ["display_name", "email"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["comment", "voter", "value", "created_at"]
    raw_id_fields = ["comment", "voter"]
