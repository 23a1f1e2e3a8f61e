"""The box on publishers' own pages: the loader script, the box of a page named by its site and
identifier, count badges for article lists, and a page's first comment or rating.

Every answer goes through `web.embedding.embeddable`: only the site's allowed origins get one,
and nothing relies on cookies. The box is the one `render_box` renders for our own pages.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import rcssmin
import rjsmin
from django.contrib.staticfiles import finders
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.comments.thread import page_number_of
from rejoinder.errors import RejoinderError
from rejoinder.inline.reading import passages
from rejoinder.pages.counts import badge_counts
from rejoinder.pages.embedding import EmbeddedPage, existing_page, page_for_first_write
from rejoinder.pages.models import Page, Site
from rejoinder.web.embedding import embeddable, site_of_site
from rejoinder.web.query import small_int
from rejoinder.web.responses import problem, refuse
from rejoinder.widget import views
from rejoinder.widget.box import render_box, render_new_box
from rejoinder.widget.box_request import BoxRequest

# An article list asks for every badge on it in one request; more than this is not a list.
MAX_BADGES = 200
# Badges may be a minute old: a list page is not where a reader waits for a new comment.
BADGE_MAX_AGE = 60
LOADER_MAX_AGE = 600


# What the embed loads from here, minified (see embed_asset_source()).
EMBED_ASSETS = frozenset(
    (
        "embed.js", "discussion.js", "requests.js", "report.js", "quote.js", "host-inline.js",
        "discussion.css", "embed.css", "host.css",
    )
)  # fmt: skip
# Loaded once the box is shown, outside the budget of what it takes to show it: live updates.
EMBED_LATER_ASSETS = frozenset(("live.js",))
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@cache
def embed_asset_source(name: str) -> bytes:
    """Return one of the EMBED_ASSETS (or EMBED_LATER_ASSETS) as the embed receives it: minified (the embed's budget
    counts every byte a reader downloads; our own pages keep the commented files)."""
    path = finders.find(f"rejoinder/{name}")
    assert isinstance(path, str), f"rejoinder/{name} is missing from the static files"
    text = Path(path).read_text(encoding="utf-8")
    text = rjsmin.jsmin(text) if name.endswith(".js") else rcssmin.cssmin(text)
    assets = reverse("widget:embed_asset", kwargs={"name": "x"})[:-1]
    return text.replace("__ASSETS__", assets).encode()


@cache
def _compressed(name: str) -> bytes:
    return gzip.compress(embed_asset_source(name), compresslevel=9, mtime=0)


@require_GET
def asset(request: HttpRequest, name: str) -> HttpResponse:
    """Serve the loader's modules and stylesheets to any origin (they hold no data),
    compressed once at the highest level."""
    if name not in EMBED_ASSETS | EMBED_LATER_ASSETS:
        return problem(404, _("Not found"), _("No such file."))
    source = embed_asset_source(name)
    etag = f'"{hashlib.sha256(source).hexdigest()[:20]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(_compressed(name), content_type=_TYPES[Path(name).suffix])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(source, content_type=_TYPES[Path(name).suffix])
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def loader(request: HttpRequest) -> HttpResponse:
    """Serve the script a publisher's page loads (`<script src=".../embed.js" async>`)."""
    return asset(request, "embed.js")


def _embedded(request: HttpRequest, site: Site) -> EmbeddedPage:
    query = request.GET
    return EmbeddedPage.checked(
        site, uri=query.get("uri", ""), url=query.get("url", ""), title=query.get("title", "")
    )


def _first_write_link(name: str, site: Site, embedded: EmbeddedPage) -> str:
    query = {"uri": embedded.uri, "url": embedded.url, "title": embedded.title}
    return f"{reverse(name, kwargs={'site_id': site.pk})}?{urlencode(query)}"


def _new_box(request: HttpRequest, site: Site, embedded: EmbeddedPage) -> SafeString:
    """The box of a page with no discussion yet, whose forms create it."""
    return render_new_box(
        request,
        site,
        embedded,
        post_action=_first_write_link("widget:embed_post", site, embedded),
        rate_action=_first_write_link("widget:embed_rate", site, embedded),
    )


def _at_comment(request: HttpRequest, page_id: int) -> None:
    """Open the page of the thread that shows `?comment=` (a `#comment-N` on the host page)."""
    comment_id = small_int(request.GET.get("comment"))
    if comment_id is None or request.GET.get("page"):
        return
    comment = Comment.objects.filter(
        pk=comment_id, page_id=page_id, status__in=(CommentStatus.PUBLISHED, CommentStatus.REMOVED)
    ).first()
    if comment is None:
        return
    box = BoxRequest.from_request(request, comment.page)
    query = request.GET.copy()
    query["page"] = str(
        page_number_of(comment, sort=box.sort, page_size=comment.page.site.page_size)
    )
    request.GET = query  # type: ignore[assignment]  # BoxRequest reads it like any query


@embeddable(site_of_site)
@require_GET
def box(request: HttpRequest, site_id: int) -> HttpResponse:
    """Return the box of the site's page `?uri=` (with `url` and `title` for a page not yet known)."""
    site = get_object_or_404(Site, pk=site_id)
    try:
        embedded = _embedded(request, site)
    except RejoinderError as exc:
        # Asked by the loader without the fragment header (no preflight): always problem+json.
        return problem(exc.status, exc.title, exc.message, field=exc.field)
    page = existing_page(site, embedded.uri)
    if page is None:
        html = _new_box(request, site, embedded)
    else:
        _at_comment(request, page.pk)
        html = render_box(request, page)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def discussion(request: HttpRequest, site_id: int) -> HttpResponse:
    """Open the discussion of the site's page `?uri=` on Rejoinder itself: where the embed's
    `<noscript>` link leads, and where everything works without JavaScript."""
    site = get_object_or_404(Site, pk=site_id)
    try:
        embedded = _embedded(request, site)
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    page = existing_page(site, embedded.uri)
    if page is not None:
        return HttpResponseRedirect(page.get_absolute_url())
    html = _new_box(request, site, embedded)
    page = Page(site=site, uri=embedded.uri, url=embedded.url, title=embedded.title)
    return render(request, "widget/discussion_page.html", {"page": page, "box": html})


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _first_write(
    request: HttpRequest, site_id: int, view: Callable[..., HttpResponse]
) -> HttpResponse:
    """Run a write on the page `?uri=`, creating the page in the same transaction; a refused
    write leaves no page behind."""
    site = get_object_or_404(Site, pk=site_id)
    try:
        embedded = _embedded(request, site)
        with transaction.atomic():
            page = page_for_first_write(site, embedded)
            response = view(request, page_id=page.pk)
            if response.status_code >= 400:
                raise _Refused(response)
    except _Refused as refused:
        return refused.response
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    response["X-Rejoinder-Page"] = str(page.pk)
    return response


@embeddable(site_of_site)
@require_POST
def first_comment(request: HttpRequest, site_id: int) -> HttpResponse:
    """Post a comment on the page `?uri=`, which may not have a discussion yet."""
    return _first_write(request, site_id, views.post)


@embeddable(site_of_site)
@require_POST
def first_rating(request: HttpRequest, site_id: int) -> HttpResponse:
    """Rate the page `?uri=`, which may not have a discussion yet."""
    return _first_write(request, site_id, views.rate)


@embeddable(site_of_site)
@require_GET
def passages_of(request: HttpRequest, site_id: int) -> HttpResponse:
    """Return the passages of the page `?uri=` that have comments, for the embed to find and
    highlight in the host's own article text (Rejoinder never reads that text)."""
    site = get_object_or_404(Site, pk=site_id)
    try:
        embedded = _embedded(request, site)
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    page = existing_page(site, embedded.uri)
    found = passages(page) if page is not None else []
    return JsonResponse(
        {
            "passages": [
                {"exact": p.exact, "prefix": p.prefix, "suffix": p.suffix, "count": p.count}
                for p in found
            ]
        }
    )


@embeddable(site_of_site)
@require_GET
def badges(request: HttpRequest, site_id: int) -> HttpResponse:
    """Return comment counts and ratings for every `?uri=` (repeated) on an article list."""
    uris = request.GET.getlist("uri")
    if not uris:
        return problem(400, _("Bad request"), _("Give at least one `uri`."), field="uri")
    if len(uris) > MAX_BADGES:
        return problem(
            400,
            _("Bad request"),
            _("Ask for at most %(n)d pages at once.") % {"n": MAX_BADGES},
            field="uri",
        )
    counts = {}
    for uri, (comments, rating_sum, ratings) in badge_counts(site_id, uris).items():
        counts[uri] = {
            "comments": comments,
            "label": ngettext("%(n)d comment", "%(n)d comments", comments) % {"n": comments},
            "rating": round(rating_sum / ratings, 1) if ratings else None,
            "ratings": ratings,
        }
    response = JsonResponse({"counts": counts})
    response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
    return response
