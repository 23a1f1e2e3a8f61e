"""The outbox in the admin: mail with its status, retry and cancel; suppressed addresses;
and, under `rejoinder demo`, the mail the demo's catcher received."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin

from rejoinder.email_address import clean_email_address
from rejoinder.errors import InvalidInput
from rejoinder.outbox.demo_mailbox import demo_maildir, list_caught, read_caught
from rejoinder.outbox.mailing import cancel_mail, retry_mail
from rejoinder.outbox.models import MailSuppression, OutboxMail

# The HTML part of a caught mail is shown in an <iframe sandbox>; this policy also sandboxes
# it when opened directly: no script, no form, no remote image (no tracking pixel).
_CAUGHT_HTML_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


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
    "next_attempt_at",
    "locked_until",
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
    change_list_template = "admin/outbox/outboxmail/change_list.html"
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

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {"demo_mailbox": demo_maildir() is not None, **(extra_context or {})}
        return super().changelist_view(request, extra)

    # --- the demo mailbox ---

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("demo-mailbox/", wrap(self.demo_mailbox_view), name="outbox_demo_mailbox"),
            path("demo-mailbox/<str:key>/", wrap(self.demo_mail_view), name="outbox_demo_mail"),
            path(
                "demo-mailbox/<str:key>/html/",
                wrap(self.demo_mail_html_view),
                name="outbox_demo_mail_html",
            ),
            *super().get_urls(),
        ]

    def _maildir(self, request: HttpRequest) -> Any:
        if not self.has_view_permission(request):
            raise PermissionDenied
        maildir = demo_maildir()
        if maildir is None:
            raise Http404(_("The demo mailbox exists only under `rejoinder demo`."))
        return maildir

    def demo_mailbox_view(self, request: HttpRequest) -> HttpResponse:
        maildir = self._maildir(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Demo mailbox"),
            "opts": self.opts,
            "maildir": maildir,
            "mails": list_caught(maildir),
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/outbox/demo_mailbox.html", context)

    def demo_mail_view(self, request: HttpRequest, key: str) -> HttpResponse:
        mail = read_caught(self._maildir(request), key)
        if mail is None:
            raise Http404(_("No such mail in the demo mailbox."))
        context = {
            **self.admin_site.each_context(request),
            "title": mail.subject or _("(no subject)"),
            "opts": self.opts,
            "mail": mail,
        }
        return TemplateResponse(request, "admin/outbox/demo_mail.html", context)

    @xframe_options_sameorigin
    def demo_mail_html_view(self, request: HttpRequest, key: str) -> HttpResponse:
        mail = read_caught(self._maildir(request), key)
        if mail is None or not mail.html:
            raise Http404(_("No such mail in the demo mailbox."))
        response = HttpResponse(mail.html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = _CAUGHT_HTML_CSP
        return response


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
