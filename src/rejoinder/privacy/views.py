"""The reader's data page: what we hold, a download, and the erasure (no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Page
from rejoinder.privacy.collection import scope_of_reader, summarize
from rejoinder.privacy.download import download_filename, download_reader_data
from rejoinder.privacy.erasure import erase_reader_data
from rejoinder.privacy.forms import ErasureForm
from rejoinder.privacy.models import CommentsChoice
from rejoinder.request_identity import reader_key


def _reader(request: HttpRequest) -> Commenter | None:
    return find_commenter(reader_key(request))


def _back(request: HttpRequest) -> Page | None:
    """The discussion the reader came from (`page`), to link back to."""
    raw = request.GET.get("page") or request.POST.get("page") or ""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return Page.objects.filter(pk=int(raw)).first()


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
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Show what is held about this browser's reader, the download and the erasure form."""
    reader = _reader(request)
    if reader is None:
        return _unknown(request)
    return _page(request, reader, ErasureForm())


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
