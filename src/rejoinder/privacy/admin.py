"""The publisher's side: the erasure log, and a reader's request by mail answered from the admin.

"Export data for an address" downloads what `download.py` writes for a reader; "Erase data
for an address" erases it as a reader's own request does, logged under the staff user's name.
Both reach every site's data, so they are for superusers only, like the discussions' export.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rejoinder.errors import RejoinderError
from rejoinder.privacy.collection import ReaderScope, scope_of_address
from rejoinder.privacy.download import download_filename, download_reader_data
from rejoinder.privacy.erasure import erase_reader_data
from rejoinder.privacy.forms import AddressErasureForm, AddressForm
from rejoinder.privacy.models import CommentsChoice, ErasureLog


def _scope_or_error(form: AddressForm) -> ReaderScope | None:
    """The scope of the form's address; None, with the error on the form, if it is not one."""
    try:
        return scope_of_address(form.cleaned_data["email"])
    except RejoinderError as exc:
        form.add_error("email", exc.message)
        return None


@admin.register(ErasureLog)
class ErasureLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "requested_by", "staff_username", "comments", "erased"]
    list_filter = ["requested_by", "comments"]
    readonly_fields = ["created_at", "requested_by", "staff_username", "comments", "counts"]
    exclude = ["staff_user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("what was erased"))
    def erased(self, log: ErasureLog) -> str:
        return ", ".join(f"{name}: {n}" for name, n in log.counts.items() if n)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="privacy_export"),
            path("erase/", wrap(self.erase_view), name="privacy_erase"),
            *super().get_urls(),
        ]

    def _form_page(
        self, request: HttpRequest, title: str, form: AddressForm, status: int, button: str
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "button": button,
        }
        return TemplateResponse(request, "admin/privacy/address_form.html", context, status=status)

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        if not request.user.is_superuser:  # type: ignore[union-attr]
            raise PermissionDenied
        form = AddressForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            scope = _scope_or_error(form)
            if scope is not None:
                response = StreamingHttpResponse(
                    download_reader_data(scope), content_type="application/json; charset=utf-8"
                )
                response["Content-Disposition"] = f'attachment; filename="{download_filename()}"'
                return response
        status = 400 if request.method == "POST" else 200
        return self._form_page(
            request, _("Export data for an address"), form, status, _("Download")
        )

    def erase_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_superuser:  # type: ignore[union-attr]
            raise PermissionDenied
        form = AddressErasureForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            scope = _scope_or_error(form)
            if scope is not None:
                erase_reader_data(
                    scope=scope,
                    comments=CommentsChoice(form.cleaned_data["comments"]),
                    staff_user=request.user,
                )
                self.message_user(
                    request, _("The data of that address was erased."), messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:privacy_erasurelog_changelist"))
        status = 400 if request.method == "POST" else 200
        return self._form_page(request, _("Erase data for an address"), form, status, _("Erase"))
