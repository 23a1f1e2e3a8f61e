from django.contrib import admin

from rejoinder.subscriptions.models import ConfirmedAddress, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "page", "kind", "confirmed_at", "unsubscribed_at", "created_at"]
    list_filter = ["kind", "page__site"]
    search_fields = ["email", "page__uri", "page__title"]
    raw_id_fields = ["page"]
    readonly_fields = ["reader_key", "created_at"]


@admin.register(ConfirmedAddress)
class ConfirmedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "site", "confirmed_at"]
    search_fields = ["email"]
