"""/avatars/<token>: an author's Gravatar/Libravatar picture, served from this server's store."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from rejoinder.accounts.avatars import KEEP_SECONDS, stored_picture


@require_GET
def picture(request: HttpRequest, token: str) -> HttpResponse:
    """Answer a stored picture, or 404 (the box then shows initials; it never links a miss).

    Nothing is fetched here: the box fetches in the background before it links a picture, so a
    request for a made-up token costs a file lookup and nothing else.
    """
    found = stored_picture(token)
    if found is None:
        response = HttpResponse(status=404)
        response["Cache-Control"] = "public, max-age=300"
    else:
        content_type, body = found
        response = HttpResponse(body, content_type=content_type)
        response["Cache-Control"] = f"public, max-age={KEEP_SECONDS}"
    # The embed shows pictures on the publisher's pages, another origin.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
