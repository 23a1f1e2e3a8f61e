"""Comment counts for many pages at once (article lists)."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from rejoinder.api.comments import ERRORS
from rejoinder.api.schemas import CountsIn, CountsOut, Id
from rejoinder.errors import InvalidInput
from rejoinder.pages.counts import comment_counts
from rejoinder.pages.lookup import default_site_id

router = Router(tags=["pages"])
MAX_URIS = 200


class CountsQuery(Schema):
    uri: list[str]
    site: Id | None = None


def _counts_response(site_id: int | None, uris: list[str]) -> HttpResponse:
    if len(uris) > MAX_URIS:
        raise InvalidInput(
            _("Ask for at most %(max)d pages at once; got %(n)d.")
            % {"max": MAX_URIS, "n": len(uris)},
            field="uris",
        )
    counts = comment_counts(default_site_id() if site_id is None else site_id, uris)
    return HttpResponse(
        json.dumps({"counts": counts}, separators=(",", ":")), content_type="application/json"
    )


@router.get("/counts", response={200: CountsOut, **ERRORS}, summary="Comment counts (query string)")
def get_counts(request: HttpRequest, q: Query[CountsQuery]) -> HttpResponse:
    """Return published-comment counts for each `uri` (repeat the parameter); unknown pages count 0."""
    return _counts_response(q.site, q.uri)


@router.post("/counts", response={200: CountsOut, **ERRORS}, summary="Comment counts (JSON body)")
def post_counts(request: HttpRequest, payload: CountsIn) -> HttpResponse:
    """Same as GET /counts, for lists too long for a URL."""
    return _counts_response(payload.site, payload.uris)
