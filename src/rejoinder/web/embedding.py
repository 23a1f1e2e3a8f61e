"""The cross-origin rules every box endpoint follows when a publisher's page embeds the box.

A request from a publisher's page carries its `Origin`. It is answered only for origins the
page's Site allows, and without cookies: the reader's token travels in `X-Rejoinder-Reader`
and a newly issued one comes back in `X-Rejoinder-Reader-Token`, for the embed to keep in the
host page's storage. A write must also carry `X-Rejoinder-Fragment`, a header no plain form
can send, so a cross-site form can only reach us through a CORS preflight that names an
allowed origin; that is what stands in for the CSRF token the host page cannot read.
Requests from our own pages keep Django's CSRF check unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from rejoinder.comments.models import Comment
from rejoinder.pages.embedding import site_allows
from rejoinder.pages.models import Page, Site
from rejoinder.web.responses import problem, wants_fragment

READER_TOKEN_HEADER = "X-Rejoinder-Reader-Token"  # noqa: S105 - a header name
EXPOSED = (
    "X-Rejoinder-Comment-Count, X-Rejoinder-Inline-Count, X-Rejoinder-Notice, "
    f"{READER_TOKEN_HEADER}, Retry-After"
)
SAFE_METHODS = ("GET", "HEAD")
# How long a browser may reuse a preflight's answer (seconds).
PREFLIGHT_MAX_AGE = 600

SiteOf = Callable[[dict[str, Any]], int | None]


def site_of_page(kwargs: dict[str, Any]) -> int | None:
    """The Site of the view's `page_id`."""
    return Page.objects.filter(pk=kwargs["page_id"]).values_list("site_id", flat=True).first()


def site_of_comment(kwargs: dict[str, Any]) -> int | None:
    """The Site of the view's `comment_id`."""
    found = Comment.objects.filter(pk=kwargs["comment_id"]).values_list("page__site_id", flat=True)
    return found.first()


def site_of_site(kwargs: dict[str, Any]) -> int | None:
    """The view's own `site_id`."""
    return int(kwargs["site_id"])


def foreign_origin(request: HttpRequest) -> str | None:
    """Return the request's `Origin` when it is another origin than Rejoinder's own, else None."""
    origin = (request.META.get("HTTP_ORIGIN") or "").strip().rstrip("/")
    if not origin or origin == "null":
        return origin or None
    own = {settings.PUBLIC_URL.lower(), f"{request.scheme}://{request.get_host()}".lower()}
    return None if origin.lower() in own else origin


def not_allowed(origin: str) -> HttpResponse:
    """Answer an origin the site does not allow, in words its publisher can act on."""
    response = problem(
        403,
        _("Forbidden"),
        _(
            "This site (%(origin)s) is not allowed to embed discussions from %(server)s. Add "
            "it to the site's allowed embedding origins in the admin."
        )
        % {"origin": origin, "server": settings.PUBLIC_URL},
        field="origin",
    )
    # Readable by the page that asked, so the embed can show the publisher why.
    response["Access-Control-Allow-Origin"] = origin
    return response


def with_cors(response: HttpResponse, origin: str) -> HttpResponse:
    """Let `origin` read the answer; move a new reader token from a cookie into a header."""
    cookie = settings.REJOINDER["READER_COOKIE"]
    if cookie in response.cookies:
        response[READER_TOKEN_HEADER] = response.cookies[cookie].value
        del response.cookies[cookie]
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Expose-Headers"] = EXPOSED
    patch_vary_headers(response, ("Origin",))
    return response


def preflight(origin: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, POST"
    response["Access-Control-Allow-Headers"] = (
        "X-Rejoinder-Fragment, X-Rejoinder-Reader, Idempotency-Key"
    )
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return with_cors(response, origin)


def embeddable(
    site_of: SiteOf,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let a box endpoint answer the embed on the allowed origins of the Site `site_of(kwargs)`
    names (None: no such page or comment, 404); our own pages keep the CSRF check."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @wraps(view)
        def answer(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            origin = foreign_origin(request)
            if origin is None:
                return protected(request, **kwargs)
            site_id = site_of(kwargs)
            site = Site.objects.filter(pk=site_id).first() if site_id is not None else None
            allowed = site is not None and site_allows(site, origin)
            if request.method == "OPTIONS":
                # Granted to the site's origins alone: nothing else gets to send a write.
                return preflight(origin) if allowed else HttpResponse(status=403)
            if site is None:
                return with_cors(problem(404, _("Not found"), _("No such discussion.")), origin)
            if not allowed:
                # A simple GET (the loader's first) can read why, and tell the publisher.
                return not_allowed(origin)
            if request.method not in SAFE_METHODS and not wants_fragment(request):
                return with_cors(
                    problem(
                        403,
                        _("Forbidden"),
                        _("A write from an embedding page must send X-Rejoinder-Fragment: 1."),
                    ),
                    origin,
                )
            try:
                response = view(request, **kwargs)
            except Http404:
                response = problem(404, _("Not found"), _("No such discussion or comment."))
            return with_cors(response, origin)

        return csrf_exempt(answer)

    return decorate
