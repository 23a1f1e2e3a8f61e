from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from rejoinder.accounts.models import Account, Identity, OidcProvider, ReaderSession, SignInSettings


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
    list_display = ("site", "email_sign_in", "avatar_pictures")


class OidcProviderForm(forms.ModelForm):
    """The client secret is written, never shown again: left empty, the current one stays."""

    client_secret = forms.CharField(
        label=_("client secret"),
        widget=forms.PasswordInput,
        required=False,
        max_length=500,
        help_text=_("Leave empty to keep the current secret."),
    )

    class Meta:
        model = OidcProvider
        fields = ("site", "label", "issuer", "client_id", "client_secret", "enabled")

    def clean_client_secret(self) -> str:
        value = self.cleaned_data["client_secret"]
        if value:
            return value
        if self.instance.pk and self.instance.client_secret:
            return self.instance.client_secret
        raise forms.ValidationError(_("Give the client secret the provider issued."))


@admin.register(OidcProvider)
class OidcProviderAdmin(admin.ModelAdmin):
    form = OidcProviderForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("label", "site", "issuer", "enabled")
    list_filter = ("site", "enabled")
