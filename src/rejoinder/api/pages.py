"""Comment counts for many pages at once (article lists)."""

from django.http import HttpRequest
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


def _counts(site_id: int | None, uris: list[str]) -> dict[str, dict[str, int]]:
    if len(uris) > MAX_URIS:
        raise InvalidInput(
            _("Ask for at most %(max)d pages at once; got %(n)d.")
            % {"max": MAX_URIS, "n": len(uris)},
            field="uris",
        )
    return {"counts": comment_counts(default_site_id() if site_id is None else site_id, uris)}


@router.get("/counts", response={200: CountsOut, **ERRORS}, summary="Comment counts (query string)")
def get_counts(request: HttpRequest, q: Query[CountsQuery]) -> dict[str, dict[str, int]]:
    """Return published-comment counts for each `uri` (repeat the parameter); unknown pages count 0."""
    return _counts(q.site, q.uri)


@router.post("/counts", response={200: CountsOut, **ERRORS}, summary="Comment counts (JSON body)")
def post_counts(request: HttpRequest, payload: CountsIn) -> dict[str, dict[str, int]]:
    """Same as GET /counts, for lists too long for a URL."""
    return _counts(payload.site, payload.uris)
