"""Conditional GETs: ETags derived from a page's version, and 304 answers to clients that hold them.

Every change to a discussion bumps its page's `version` in the change's own transaction, so a
validator built from it lets browsers and proxies revalidate instead of downloading again.
Django compares the validators (`django.utils.cache.get_conditional_response`): weakly, so the
`W/` that GZipMiddleware gives a compressed answer's ETag still matches, and lists and `*`
in If-None-Match are understood. See docs/decisions.md, "Conditional requests".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import cache as shared_cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Comment
from rejoinder.notices.reading import unread_count
from rejoinder.pages.models import Page
from rejoinder.request_identity import reader_key

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# How often the times a page's HTML shows can change, by the age of the page's newest comment:
# "3 minutes ago" moves every minute, "2 days, 4 hours ago" every hour (naturaltime shows two
# units at most). Older comments move no faster than the newest. A comment younger than the
# site's edit window moves every minute too: its author's Edit link goes when the window ends.
_TIME_STEPS = (
    (timedelta(hours=1), 60),
    (timedelta(days=7), 3600),
    (timedelta(days=30), 86400),
    (timedelta(days=365), 7 * 86400),
)
_LONGEST_STEP = 30 * 86400
_NEWEST_CACHE_SECONDS = 3600  # keyed by version, so this only bounds memory held by old versions
_CODE_SUFFIXES = (".py", ".html", ".mo")


def conditional_answer(request: HttpRequest, etag: str) -> HttpResponse | None:
    """Return 304 Not Modified, carrying `etag`, when the client's copy is current; else None.

    A failed If-Match or If-Unmodified-Since gets 412 Precondition Failed, as Django answers
    it. Call before building the body: a 304 costs only what computing `etag` cost.
    """
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        response["ETag"] = etag
    return response


def revalidate(response: HttpResponseBase, etag: str, *, private: bool = False) -> None:
    """Give an answer its ETag and a Cache-Control that makes caches ask us before every reuse.

    `private`: the answer holds one reader's own data, so only their browser may keep it.
    """
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache" if private else "no-cache"


def page_etag(request: HttpRequest, page: Page) -> str:
    """Return the ETag of the page's HTML (article page, box, thread fragments) for this request.

    The page's version counts every comment, vote, rating, status change and article edit. The
    HTML depends on more than that, and so does the ETag: the reader's own controls, votes and
    name, the CSRF token in its forms (masked from the reader's CSRF cookie, so it stays valid
    only while that cookie does), the language, the page's and site's settings (admin edits
    bump no version), the times it shows ("5 minutes ago", Edit links), and the code that
    renders it. Everything but the page and version is hashed with the secret key: an ETag
    reveals nothing of the cookies it was derived from.
    """
    reader = find_commenter(reader_key(request))
    get_token(request)  # the forms' token: this request's CSRF secret, new if it had none
    site = page.site
    parts: list[Any] = [
        _code_fingerprint(),
        get_language(),
        page.uri,
        page.url,
        page.title,
        page.is_open,
        *(getattr(site, field.attname) for field in site._meta.concrete_fields),
        reader.pk if reader else "",
        reader.display_name if reader else "",
        unread_count(reader),  # the bell's count
        request.META.get("CSRF_COOKIE", ""),
        *_time_bucket(page, timezone.now()),
    ]
    digest = salted_hmac(
        "rejoinder.web.conditional.page_etag", "\x1f".join(map(str, parts)), algorithm="sha256"
    ).hexdigest()[:24]
    return f'"page-{page.pk}-{page.version}-{digest}"'


def revalidated(page_of: Callable[..., Page | None]) -> Callable[[View], View]:
    """Give a GET view of a page's HTML the page's ETag, and answer 304 when the client has it.

    `page_of` takes the view's URL keyword arguments and returns the page with its site (None:
    the view answers the 404 itself): `pages.lookup.page_by_id` or `published_article_page`. The answer is `Cache-Control: private, no-cache` and
    `Vary: Cookie`: it holds one reader's controls and CSRF token, so only their browser keeps
    it, and it asks before every reuse.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def conditional_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            page = page_of(**kwargs)
            if page is None:
                return view(request, *args, **kwargs)
            etag = page_etag(request, page)
            unchanged = conditional_answer(request, etag)
            response = view(request, *args, **kwargs) if unchanged is None else unchanged
            if response.status_code in (200, 304):
                revalidate(response, etag, private=True)
                patch_vary_headers(response, ("Cookie",))
            return response

        return conditional_view  # type: ignore[return-value]

    return decorate


def _time_bucket(page: Page, now: datetime) -> tuple[int, int]:
    """Return (step, step number): the ETag changes when what the page says about time may."""
    newest = _newest_comment_time(page)
    if newest is None:
        return 0, 0
    age = now - newest
    if age < timedelta(minutes=page.site.edit_window_minutes):
        step = _TIME_STEPS[0][1]
    else:
        step = next((s for limit, s in _TIME_STEPS if age < limit), _LONGEST_STEP)
    return step, int(now.timestamp()) // step


def _newest_comment_time(page: Page) -> datetime | None:
    """Return when the page's newest comment (of any status) was posted, once per version."""
    key = f"newest-comment:{page.pk}:{page.version}"
    stamp = shared_cache.get(key)
    if stamp is None:
        newest = Comment.objects.filter(page_id=page.pk).aggregate(newest=Max("created_at"))
        stamp = newest["newest"].timestamp() if newest["newest"] is not None else 0.0
        shared_cache.set(key, stamp, _NEWEST_CACHE_SECONDS)
    return datetime.fromtimestamp(stamp, tz=UTC) if stamp else None


@cache
def _code_fingerprint() -> str:
    """Return a digest of the installed code, templates and translations (once per process).

    A new release renders differently without any page changing; so do all its processes alike.
    """
    digest = hashlib.sha256()
    root = Path(__file__).parents[1]  # the whole package: web/ alone holds no template
    for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
