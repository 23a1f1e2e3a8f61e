from collections.abc import Callable

from django.test import Client

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import Page, Site


def test_page_and_site_feeds_list_published_comments_only(
    client: Client, page: Page, site: Site, make_reader: Callable[[], Commenter]
) -> None:
    other = ensure_page(site, "/news/other/", title="Other")
    shown = post_comment(page=page, author=make_reader(), name="Ana", body="Visible *words*")
    hidden = post_comment(page=page, author=make_reader(), name="Spam", body="Buy now")
    Comment.objects.filter(pk=hidden.pk).update(status="spam")
    post_comment(page=other, author=make_reader(), name="Bo", body="Elsewhere")

    page_feed = client.get(f"/feeds/pages/{page.pk}/comments.atom")
    assert page_feed["Content-Type"].startswith("application/atom+xml")
    body = page_feed.content.decode()
    assert f"/c/{shown.pk}/" in body
    assert "Buy now" not in body
    assert "Elsewhere" not in body
    assert "&lt;em&gt;words&lt;/em&gt;" in body
    site_feed = client.get("/feeds/comments.atom").content.decode()
    assert "Visible" in site_feed
    assert "Elsewhere" in site_feed
    assert "Buy now" not in site_feed
    assert client.get("/feeds/pages/99999/comments.atom").status_code == 404
