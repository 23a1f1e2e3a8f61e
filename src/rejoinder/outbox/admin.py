"""The outbox in the admin: mail with its status, retry and cancel; suppressed addresses.

(Under `rejoinder demo`, demo/admin.py adds the "Demo mailbox" to the outbox's pages.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rejoinder.email_address import clean_email_address
from rejoinder.errors import InvalidInput
from rejoinder.outbox.mailing import cancel_mail, retry_mail
from rejoinder.outbox.models import MailSuppression, OutboxMail

_MAIL_FIELDS = (
    "status",
    "to_address",
    "from_address",
    "subject",
    "kind",
    "message_id",
    "dedupe_key",
    "headers",
    "text_body",
    "html_body",
    "attempts",
    "resends",
    "next_attempt_at",
    "locked_until",
    "handed_at",
    "last_error",
    "created_at",
    "sent_at",
)
_SUPPRESSION_FIELDS = ("address", "bounces", "suppressed_at", "last_error", "updated_at")


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "subject",
        "to_address",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    ordering = ["-created_at"]
    show_full_result_count = False  # counting a large outbox costs a full scan
    actions = ["retry_now", "cancel"]
    fields = _MAIL_FIELDS
    readonly_fields = _MAIL_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # mail is queued by the code that has a reason to send it

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only; the actions change status

    def has_retry_permission(self, request: HttpRequest) -> bool:
        """Retrying and cancelling need the model's change permission (the form is read-only)."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(description=gettext_lazy("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMail]) -> None:
        count = retry_mail(queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d mail queued for sending now.", "%(n)d mails queued for sending now.", count
            )
            % {"n": count}
            + (
                " " + _("Only queued and failed mail can be retried.")
                if count < queryset.count()
                else ""
            ),
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Cancel"), permissions=["retry"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[OutboxMail]) -> None:
        count = cancel_mail(queryset)
        self.message_user(
            request,
            ngettext("%(n)d mail cancelled.", "%(n)d mails cancelled.", count) % {"n": count}
            + (
                " " + _("Only queued and failed mail can be cancelled.")
                if count < queryset.count()
                else ""
            ),
            messages.SUCCESS if count else messages.WARNING,
        )


class SuppressionForm(forms.ModelForm):
    class Meta:
        model = MailSuppression
        fields = ["address"]

    def clean_address(self) -> str:
        try:
            return clean_email_address(self.cleaned_data["address"], field="address").lower()
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None


@admin.register(MailSuppression)
class MailSuppressionAdmin(admin.ModelAdmin):
    form = SuppressionForm
    list_display = ["address", "bounces", "suppressed_at", "last_error", "updated_at"]
    list_filter = [("suppressed_at", admin.EmptyFieldListFilter)]
    search_fields = ["address"]
    ordering = ["-updated_at"]
    actions = ["unsuppress"]
    fields = _SUPPRESSION_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Adding a row suppresses an address by hand (someone asked for no more mail).
        return [f for f in _SUPPRESSION_FIELDS if obj is not None or f != "address"]

    def save_model(
        self, request: HttpRequest, obj: MailSuppression, form: Any, change: bool
    ) -> None:
        if not change:
            obj.suppressed_at = obj.suppressed_at or timezone.now()
            obj.last_error = obj.last_error or _("Suppressed by %(user)s.") % {"user": request.user}
        super().save_model(request, obj, form, change)

    @admin.action(
        description=gettext_lazy("Lift the suppression (the address gets mail again)"),
        permissions=["delete"],
    )
    def unsuppress(self, request: HttpRequest, queryset: QuerySet[MailSuppression]) -> None:
        count, _deleted = queryset.delete()
        self.message_user(
            request,
            ngettext("%(n)d address gets mail again.", "%(n)d addresses get mail again.", count)
            % {"n": count},
        )
