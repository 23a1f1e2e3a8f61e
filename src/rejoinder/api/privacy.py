"""The reader's own data: download it, or erase it (docs/privacy.md)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Router, Schema

from rejoinder.api.schemas import ErasureIn, ErasureOut, ProblemOut, ReaderDataOut
from rejoinder.comments.identity import find_commenter
from rejoinder.errors import NotFound
from rejoinder.privacy.collection import ReaderScope, scope_of_reader
from rejoinder.privacy.download import download_filename, download_reader_data
from rejoinder.privacy.erasure import erase_reader_data
from rejoinder.privacy.models import CommentsChoice
from rejoinder.request_identity import reader_key
from rejoinder.web.responses import problem

router = Router(tags=["readers' data"])
ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 401, 404, 415, 422), ProblemOut)


def _scope(request: HttpRequest) -> ReaderScope | HttpResponse:
    key = reader_key(request)
    if key is None:
        return problem(
            401,
            _("Who are you?"),
            _("Send the reader token you were given in the X-Rejoinder-Reader header."),
        )
    commenter = find_commenter(key)
    if commenter is None:
        raise NotFound(_("Nothing is held about this reader: no comment, vote or rating."))
    return scope_of_reader(commenter)


@router.get(
    "/me/data",
    response={200: ReaderDataOut, **ERRORS},
    summary="Download everything held about you",
    description="One JSON document (docs/privacy.md), sent as an attachment, piece by piece.",
)
def my_data(request: HttpRequest) -> HttpResponseBase:
    scope = _scope(request)
    if isinstance(scope, HttpResponse):
        return scope
    response = StreamingHttpResponse(
        download_reader_data(scope), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{download_filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/me",
    response={200: ErasureOut, **ERRORS},
    summary="Erase everything held about you",
    description=(
        "Erases your name, email, website, subscriptions, queued mail, votes and ratings (the "
        "counts they were part of stay) and your comments as `comments` says; your token stops "
        "working. Replies by others stay."
    ),
)
def erase_me(request: HttpRequest, payload: ErasureIn) -> Any:
    scope = _scope(request)
    if isinstance(scope, HttpResponse):
        return scope
    log = erase_reader_data(scope=scope, comments=CommentsChoice(payload.comments))
    return {"comments": log.comments, "erased": log.counts}
