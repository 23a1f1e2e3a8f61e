"""`GET /discussion/<page>/events` where Django answers it: a server without the front.

`rejoinder serve` routes the streams to coroutines before Django (live/streams.py). Under
another server (Django's development server, a plain WSGI or ASGI one) this view answers the
same URL the way `?once=1` does: the events the box missed, then the end of the answer, with
a `retry` that makes the browser's EventSource ask again every POLL_SECONDS. So the box, and
the embed on a publisher's page (CORS for the site's allowed origins, as every box endpoint),
still follow the discussion, by polling, instead of failing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from rejoinder.live import store
from rejoinder.live.streams import RELOAD, Refused, frame, number
from rejoinder.pages.models import Page
from rejoinder.web.embedding import embeddable, site_of_page
from rejoinder.web.responses import problem

POLL_SECONDS = 15


@require_GET
@embeddable(site_of_page)
def events(request: HttpRequest, page_id: int) -> HttpResponse:
    if not Page.objects.filter(pk=page_id).exists():
        return problem(404, "Not found", "There is no discussion with that id.")
    channel = store.page_channel(page_id)
    last_event = request.headers.get("Last-Event-ID", "").strip() or request.GET.get("last", "")
    raw_version = request.GET.get("version", "")
    try:
        after_id = number(last_event, "Last-Event-ID") if last_event else None
        version = number(raw_version, "version") if raw_version else None
        missed = store.replay(channel, after_id=after_id, version=version)
    except Refused as refused:
        return problem(refused.status, refused.title, refused.detail)
    except store.Unknown:
        return problem(400, "Bad request", "Last-Event-ID: not an event of this discussion.")
    if missed is None:
        body = RELOAD
    else:
        body = f"retry: {POLL_SECONDS * 1000}\n\n".encode() + b"".join(frame(e) for e in missed)
    response = HttpResponse(body, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
