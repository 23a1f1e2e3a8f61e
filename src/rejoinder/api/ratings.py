"""Star ratings of pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from rejoinder.api.comments import ERRORS
from rejoinder.api.schemas import RatingIn, RatingOut
from rejoinder.comments.identity import commenter_for
from rejoinder.pages.lookup import find_page
from rejoinder.ratings.rating import rate_page
from rejoinder.request_identity import ensure_reader, ip_hash, remember_reader

router = Router(tags=["ratings"])


@router.put("/ratings", response={200: RatingOut, **ERRORS}, summary="Rate a page (1-5 stars)")
def put_rating(request: HttpRequest, payload: RatingIn, response: HttpResponse) -> dict[str, Any]:
    """Set this reader's rating of the page; rating again changes it."""
    page = find_page(payload.site, payload.uri)
    key, new_token = ensure_reader(request)
    page = rate_page(
        page=page, rater=commenter_for(key), stars=payload.stars, ip_hash=ip_hash(request)
    )
    remember_reader(response, new_token)
    return {
        "rating": {"average": page.rating_average, "count": page.rating_count},
        "my_stars": payload.stars,
        "reader": new_token,
    }
