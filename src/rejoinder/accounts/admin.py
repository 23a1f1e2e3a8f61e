from django.contrib import admin

from rejoinder.accounts.models import Account, Identity, ReaderSession, SignInSettings


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0
    fields = ("provider", "subject", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("display_name", "site", "email", "email_verified", "last_sign_in_at")
    list_filter = ("site",)
    search_fields = ("display_name", "email", "identities__subject")
    readonly_fields = ("site", "email", "email_verified", "created_at", "last_sign_in_at")
    inlines = [IdentityInline]


@admin.register(ReaderSession)
class ReaderSessionAdmin(admin.ModelAdmin):
    list_display = ("account", "provider", "created_at", "expires_at", "revoked_at")
    list_filter = ("provider",)
    readonly_fields = ("account", "provider", "created_at", "expires_at")


@admin.register(SignInSettings)
class SignInSettingsAdmin(admin.ModelAdmin):
    list_display = ("site", "email_sign_in")
