"""The reader's data page: what we hold, a download, and the erasure (no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rejoinder.comments.identity import find_commenter, reader_key_from_token
from rejoinder.comments.models import Commenter
from rejoinder.pages.embedding import site_allows
from rejoinder.pages.models import Page, Site
from rejoinder.privacy.collection import scope_of_reader, summarize
from rejoinder.privacy.download import download_filename, download_reader_data
from rejoinder.privacy.erasure import erase_reader_data
from rejoinder.privacy.forms import ErasureForm
from rejoinder.privacy.models import CommentsChoice
from rejoinder.request_identity import reader_key, remember_reader
from rejoinder.web.query import small_int


def _reader(request: HttpRequest) -> Commenter | None:
    return find_commenter(reader_key(request))


def _back(request: HttpRequest) -> Page | None:
    """The discussion the reader came from (`page`), to link back to."""
    pk = small_int(request.GET.get("page") or request.POST.get("page"))
    return Page.objects.filter(pk=pk).first() if pk else None


def _unknown(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/my_data.html",
        {"reader": None, "back": _back(request)},
        status=404,
    )


def _page(
    request: HttpRequest, reader: Commenter, form: ErasureForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "reader": reader,
        "summary": summarize(scope_of_reader(reader)),
        "form": form,
        "back": _back(request),
    }
    return render(request, "privacy/my_data.html", context, status=status)


@never_cache
@csrf_exempt  # the signed token is the proof; the origin is checked below
@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Show what is held about this browser's reader, the download and the erasure form.

    A POST is the embed handing over the reader's token (`reader`) from a publisher's page,
    where our cookie cannot reach: it is taken from the site's allowed origins only (so no
    other page can make a browser into a reader of its choosing), kept in our cookie, and the
    browser is sent on to the page itself.
    """
    if request.method == "POST":
        return _handoff(request)
    reader = _reader(request)
    if reader is None:
        return _unknown(request)
    return _page(request, reader, ErasureForm())


def _handoff(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("reader", "")
    site_id = small_int(request.POST.get("site"))
    site = Site.objects.filter(pk=site_id).first() if site_id else None
    origin = (request.META.get("HTTP_ORIGIN") or "").strip().rstrip("/")
    if site is None or not site_allows(site, origin):
        return render(
            request,
            "widget/message.html",
            {"error": _("This page may not open your data.")},
            status=403,
        )
    if reader_key_from_token(token) is None:
        return render(
            request,
            "widget/message.html",
            {"error": _("That is not a reader token of this server.")},
            status=400,
        )
    back = _back(request)
    response = HttpResponseRedirect(
        reverse("privacy:my_data") + (f"?page={back.pk}" if back else ""), status=303
    )
    remember_reader(response, token)
    return response


@never_cache
@require_GET
def download(request: HttpRequest) -> HttpResponseBase:
    """Send the reader's data as one JSON file."""
    reader = _reader(request)
    if reader is None:
        return _unknown(request)
    response = StreamingHttpResponse(
        download_reader_data(scope_of_reader(reader)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{download_filename()}"'
    return response


@never_cache
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    """Erase the reader's data as the confirmed form chooses; forget the browser's token."""
    reader = _reader(request)
    if reader is None:
        return _unknown(request)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _page(request, reader, form, status=400)
    log = erase_reader_data(
        scope=scope_of_reader(reader), comments=CommentsChoice(form.cleaned_data["comments"])
    )
    response = render(
        request,
        "privacy/erased.html",
        {"log": log, "back": _back(request), "kept": log.comments == CommentsChoice.KEEP},
    )
    response.delete_cookie(settings.REJOINDER["READER_COOKIE"], samesite="Lax")
    return response
