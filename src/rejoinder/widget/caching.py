"""What the box keeps in the cache: thread markup and inline counts, per page version.

The thread list is the same for every reader who has never written, voted or rated on the
page, so it is rendered once per page version and kept; CSRF tokens are put into the cached
markup per request. A new comment, vote or rating bumps the version, so nothing stale is read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from rejoinder.inline.reading import inline_count
from rejoinder.pages.models import Page
from rejoinder.widget.box_request import BoxRequest

CSRF_PLACEHOLDER = "__rj_csrf_token__"
FRAGMENT_CACHE_SECONDS = 60  # bounds how stale "5 minutes ago" can get in cached markup


def thread_cache_key(page: Page, box: BoxRequest) -> str:
    """Return the cache key of the thread markup a reader without activity gets: the markup
    speaks the request's language and shows times in its time zone."""
    return (
        f"box:{page.pk}:{page.version}:{box.filter}:{box.sort.value}:{box.page_number}:"
        f"{box.reply_to}:{box.after}:{get_language()}:{timezone.get_current_timezone_name()}"
    )


def cached_markup(key: str, render: Callable[[], str]) -> str:
    """Return the markup cached under `key`, rendering and keeping it on a miss."""
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_CACHE_SECONDS)
    return str(html)


def with_csrf_token(request: HttpRequest, html: str) -> SafeString:
    """Return markup rendered with CSRF_PLACEHOLDER carrying this request's token instead."""
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template output


def inline_total(page: Page) -> int:
    """Return the page's number of inline comments, counted once per page version."""
    key = f"inline-count:{page.pk}:{page.version}"
    count = cache.get(key)
    if count is None:
        count = inline_count(page)
        cache.set(key, count, FRAGMENT_CACHE_SECONDS)
    return int(count)
