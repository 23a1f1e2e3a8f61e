"""Links into a discussion, built in one place for every surface: a page of the thread, a
comment, the reply and comment forms, the script's "Load more". A page Rejoinder does not
publish itself (a publisher's, where the box is embedded) has its discussion at /discussion/N/."""

from __future__ import annotations

from collections.abc import Callable

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import CommentSort, Page
from rejoinder.web.links import (
    INLINE,
    comment_form_link,
    comment_link,
    page_link,
    reply_base,
    thread_fragment_link,
)


def test_a_page_of_the_thread_names_its_sort_and_number_and_the_inline_filter_first(
    page: Page,
) -> None:
    assert page_link(page, sort=CommentSort.OLDEST, page_number=2) == (
        f"/discussion/{page.pk}/?sort=oldest&page=2#comments"
    )
    assert page_link(page, sort=CommentSort.BEST, page_number=1, filter=INLINE) == (
        f"/discussion/{page.pk}/?filter=inline&sort=best&page=1#comments"
    )


def test_reply_links_open_the_first_page_in_the_sites_sort(page: Page) -> None:
    page.site.default_sort = CommentSort.OLDEST
    page.site.save()
    assert reply_base(page) == f"/discussion/{page.pk}/?sort=oldest&page=1&reply="


def test_load_more_asks_the_thread_fragment_after_a_cursor(page: Page) -> None:
    assert thread_fragment_link(page, CommentSort.NEWEST, "abc", "all") == (
        f"/discussion/{page.pk}/thread?sort=newest&after=abc"
    )
    assert thread_fragment_link(page, CommentSort.NEWEST, None, INLINE) == (
        f"/discussion/{page.pk}/thread?sort=newest&after=&filter=inline"
    )


def test_the_form_link_opens_the_pages_comment_form(page: Page) -> None:
    assert comment_form_link(page) == f"/discussion/{page.pk}/#comment-form"


def test_a_comment_link_opens_the_page_of_the_thread_that_shows_it(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    page.site.page_size = 2
    page.site.save()
    oldest, *_ = [
        post_comment(page=page, author=make_reader(), name="Ana", body=f"Point {n}.")
        for n in range(3)
    ]
    oldest.page.refresh_from_db()

    assert comment_link(oldest) == (
        f"/discussion/{page.pk}/?sort=newest&page=2#comment-{oldest.pk}"
    )
    assert comment_link(oldest, posted=True) == (
        f"/discussion/{page.pk}/?sort=newest&page=2&posted={oldest.pk}#comment-{oldest.pk}"
    )
