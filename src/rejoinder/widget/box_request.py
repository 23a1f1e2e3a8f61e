"""What a request asks of the discussion box, read from its query string."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from rejoinder.comments.thread import parse_sort
from rejoinder.pages.models import CommentSort, Page
from rejoinder.web.links import ALL, INLINE, POSTED_PARAMETER
from rejoinder.web.query import small_int, valid_cursor


@dataclass
class BoxRequest:
    """What a request asks of the box: which comments (all or inline feedback), which sort,
    which page of top-level comments, and what the form should quote (a paragraph by block
    index, or an author's question)."""

    sort: CommentSort
    page_number: int
    reply_to: int | None = None
    after: str | None = None
    filter: str = ALL
    passage: int | None = None
    prompt: int | None = None
    posted: int | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, page: Page) -> BoxRequest:
        number = small_int(request.GET.get("page"))
        return cls(
            sort=parse_sort(request.GET.get("sort"), page.site.default_sort),
            page_number=number if number and number < 100_000 else 1,
            reply_to=small_int(request.GET.get("reply")),
            after=valid_cursor(request.GET.get("after")),
            filter=INLINE if request.GET.get("filter") == INLINE else ALL,
            passage=small_int(request.GET.get("passage")),
            prompt=small_int(request.GET.get("prompt")),
            posted=small_int(request.GET.get(POSTED_PARAMETER)),
        )
