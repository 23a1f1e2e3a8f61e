from django.contrib import admin

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
