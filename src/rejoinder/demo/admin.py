"""The admin's "Demo mailbox": the mail `rejoinder demo`'s catcher received, beside the outbox.

The outbox's own admin knows nothing of the demo; this module registers a subclass of it in
its place that adds the mailbox's pages (under the outbox's URL, so the link `rejoinder demo`
prints is /admin/outbox/outboxmail/demo-mailbox/) and a "Demo mailbox" button on the outbox's
list when a mailbox is configured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from rejoinder.demo.mailbox import demo_maildir, list_caught, read_caught
from rejoinder.outbox.admin import OutboxMailAdmin
from rejoinder.outbox.models import OutboxMail

# The HTML part of a caught mail is shown in an <iframe sandbox>; this policy also sandboxes
# it when opened directly: no script, no form, no remote image (no tracking pixel).
_CAUGHT_HTML_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


class OutboxWithDemoMailboxAdmin(OutboxMailAdmin):
    change_list_template = "admin/demo/outbox_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {"demo_mailbox": demo_maildir() is not None, **(extra_context or {})}
        return super().changelist_view(request, extra)

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

    def _maildir(self, request: HttpRequest) -> Path:
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
        return TemplateResponse(request, "admin/demo/mailbox.html", context)

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
        return TemplateResponse(request, "admin/demo/mail.html", context)

    @xframe_options_sameorigin
    def demo_mail_html_view(self, request: HttpRequest, key: str) -> HttpResponse:
        mail = read_caught(self._maildir(request), key)
        if mail is None or not mail.html:
            raise Http404(_("No such mail in the demo mailbox."))
        response = HttpResponse(mail.html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = _CAUGHT_HTML_CSP
        return response


admin.site.unregister(OutboxMail)
admin.site.register(OutboxMail, OutboxWithDemoMailboxAdmin)
