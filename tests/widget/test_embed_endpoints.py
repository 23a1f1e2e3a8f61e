"""The box on a publisher's own pages: the cross-origin rules, a page's creation on its first
write, count badges, and what the embed may say about a page."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.models import Rating

HOST = "https://news.example.org"
ELSEWHERE = "https://evil.example.net"
EMBED = {"HTTP_ORIGIN": HOST, "HTTP_X_REJOINDER_FRAGMENT": "1"}


@pytest.fixture
def publisher(site: Site) -> Site:
    site.allowed_origins = f"{HOST}\n"
    site.save()
    return site


@pytest.fixture
def host_client() -> Client:
    # A browser on the publisher's page: no cookie of ours, and CSRF checks enforced.
    return Client(enforce_csrf_checks=True)


def _query(uri: str = "/2026/12/harbour/", **extra: str) -> str:
    return urlencode({"uri": uri, "url": HOST + uri, "title": "The harbour", **extra})


def _post(client: Client, site: Site, body: str = "First!", *, origin: str = HOST, **query: str):
    return client.post(
        f"/embed/{site.pk}/comments?{_query(**query)}",
        {"body": body, "name": "Ana"},
        HTTP_ORIGIN=origin,
        HTTP_X_REJOINDER_FRAGMENT="1",
    )


def test_an_unknown_page_gets_an_empty_box_and_no_page_is_created_by_looking(
    publisher: Site, host_client: Client
) -> None:
    response = host_client.get(f"/embed/{publisher.pk}/box?{_query()}", **EMBED)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == HOST
    html = response.content.decode()
    assert "data-rj-new-page" in html
    assert f"/embed/{publisher.pk}/comments?uri=%2F2026%2F12%2Fharbour%2F" in html
    assert "csrfmiddlewaretoken" in html  # the same form as everywhere: it works without JS too
    assert not Page.objects.filter(uri="/2026/12/harbour/").exists()


def test_the_first_comment_from_an_allowed_origin_creates_the_page_without_a_cookie(
    publisher: Site, host_client: Client
) -> None:
    response = _post(host_client, publisher)

    assert response.status_code == 201, response.content
    page = Page.objects.get(site=publisher, uri="/2026/12/harbour/")
    assert (page.url, page.title, page.comment_count) == (
        f"{HOST}/2026/12/harbour/",
        "The harbour",
        1,
    )
    assert response["X-Rejoinder-Page"] == str(page.pk)
    assert response["Access-Control-Allow-Origin"] == HOST
    assert "rj_reader" not in response.cookies
    token = response["X-Rejoinder-Reader-Token"]
    assert "X-Rejoinder-Reader-Token" in response["Access-Control-Expose-Headers"]

    # The token the embed keeps identifies the reader on the next request: their own controls.
    box = host_client.get(
        f"/embed/{publisher.pk}/box?{_query()}", HTTP_X_REJOINDER_READER=token, **EMBED
    )
    assert "First!" in box.content.decode()
    assert "rj-delete-link" in box.content.decode()
    stranger = host_client.get(f"/embed/{publisher.pk}/box?{_query()}", **EMBED)
    assert "rj-delete-link" not in stranger.content.decode()


def test_a_write_from_another_origin_is_refused_and_creates_nothing(
    publisher: Site, host_client: Client
) -> None:
    response = _post(host_client, publisher, origin=ELSEWHERE)

    assert response.status_code == 403
    assert ELSEWHERE in response.json()["detail"]
    assert "not allowed to embed" in response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == ELSEWHERE  # so the embed can say why
    assert not Page.objects.filter(uri="/2026/12/harbour/").exists()
    assert not Comment.objects.exists()

    box = host_client.get(f"/embed/{publisher.pk}/box?{_query()}", HTTP_ORIGIN=ELSEWHERE)
    assert box.status_code == 403


def test_a_cross_origin_write_without_the_fragment_header_is_refused(
    publisher: Site, host_client: Client
) -> None:
    # A plain form on another page cannot add the header; only a preflighted request can.
    response = host_client.post(
        f"/embed/{publisher.pk}/comments?{_query()}", {"body": "Hi"}, HTTP_ORIGIN=HOST
    )
    assert response.status_code == 403
    assert not Page.objects.exists() or not Comment.objects.exists()


def test_our_own_pages_still_need_the_csrf_token(publisher: Site, host_client: Client) -> None:
    response = host_client.post(
        f"/embed/{publisher.pk}/comments?{_query()}", {"body": "Hi"}, HTTP_X_REJOINDER_FRAGMENT="1"
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_refused_first_comment_leaves_no_page_behind(
    publisher: Site, host_client: Client
) -> None:
    response = _post(host_client, publisher, body="")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert not Page.objects.filter(uri="/2026/12/harbour/").exists()


def test_the_first_rating_creates_the_page_too(publisher: Site, host_client: Client) -> None:
    response = host_client.post(f"/embed/{publisher.pk}/rating?{_query()}", {"stars": "4"}, **EMBED)

    assert response.status_code == 200, response.content
    page = Page.objects.get(uri="/2026/12/harbour/")
    assert (page.rating_count, Rating.objects.get().stars) == (1, 4)


def test_a_site_can_require_pages_to_be_registered_first(
    publisher: Site, host_client: Client
) -> None:
    publisher.embed_creates_pages = False
    publisher.save()

    response = _post(host_client, publisher)

    assert response.status_code == 404
    assert "not registered" in response.json()["detail"]
    assert not Page.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"uri": "x" * 501}, "uri"),
        ({"uri": "/news/\x07bell/"}, "uri"),
        ({"uri": "/news/../admin/"}, "uri"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": f"{ELSEWHERE}/2026/12/harbour/"}, "url"),
        ({"url": HOST + "/" + "a" * 1000}, "url"),
        ({"title": "t" * 301}, "title"),
        ({"title": "Bell\x07"}, "title"),
    ],
)
def test_page_fields_the_embed_sends_are_checked_and_nothing_is_created(
    publisher: Site, host_client: Client, query: dict[str, str], field: str
) -> None:
    params = {"uri": "/2026/12/harbour/", "url": f"{HOST}/2026/12/harbour/", "title": "T", **query}
    for response in (
        host_client.get(f"/embed/{publisher.pk}/box?{urlencode(params)}", **EMBED),
        host_client.post(
            f"/embed/{publisher.pk}/comments?{urlencode(params)}", {"body": "Hi"}, **EMBED
        ),
    ):
        assert 400 <= response.status_code < 500
        assert response.json()["field"] == field, response.json()
    assert not Page.objects.exists()
    assert not Comment.objects.exists()


def _preflight(client: Client, page: Page, origin: str):
    return client.options(
        f"/discussion/{page.pk}/comments",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-rejoinder-fragment, x-rejoinder-reader",
    )


def test_a_preflight_is_granted_to_the_sites_origins_alone(
    publisher: Site, page: Page, host_client: Client
) -> None:
    granted = _preflight(host_client, page, HOST)
    assert granted.status_code == 204
    assert granted["Access-Control-Allow-Origin"] == HOST
    assert "X-Rejoinder-Reader" in granted["Access-Control-Allow-Headers"]

    refused = _preflight(host_client, page, ELSEWHERE)
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Headers" not in refused


def test_votes_edits_and_deletes_from_the_embed_use_the_token_header(
    publisher: Site, host_client: Client
) -> None:
    posted = _post(host_client, publisher)
    token = posted["X-Rejoinder-Reader-Token"]
    comment = Comment.objects.get()
    as_author = {"HTTP_X_REJOINDER_READER": token, **EMBED}

    edited = host_client.post(
        f"/discussion/comments/{comment.pk}/edit", {"body": "Second thoughts."}, **as_author
    )
    assert edited.status_code == 200, edited.content
    assert Comment.objects.get(pk=comment.pk).body == "Second thoughts."
    other = host_client.post(f"/discussion/comments/{comment.pk}/vote", {"value": "1"}, **EMBED)
    assert other.status_code == 200
    assert Comment.objects.get(pk=comment.pk).upvotes == 1
    refused = host_client.post(f"/discussion/comments/{comment.pk}/delete", {}, **EMBED)
    assert refused.status_code in (403, 404)
    assert Comment.objects.filter(pk=comment.pk).exists()
    deleted = host_client.post(f"/discussion/comments/{comment.pk}/delete", {}, **as_author)
    assert deleted.status_code == 204
    assert not Comment.objects.filter(pk=comment.pk, status="published").exists()


def test_a_permalink_on_the_host_page_opens_the_page_of_the_thread_that_shows_it(
    publisher: Site, host_client: Client
) -> None:
    publisher.page_size = 2
    publisher.save()
    for n in range(5):
        _post(host_client, publisher, body=f"Comment number {n}.")
    oldest = Comment.objects.order_by("pk").first()
    assert oldest is not None

    first = host_client.get(f"/embed/{publisher.pk}/box?{_query()}", **EMBED).content.decode()
    opened = host_client.get(
        f"/embed/{publisher.pk}/box?{_query(comment=str(oldest.pk))}", **EMBED
    ).content.decode()

    assert f'id="comment-{oldest.pk}"' not in first
    assert f'id="comment-{oldest.pk}"' in opened


def test_badges_count_comments_and_ratings_for_a_whole_list_in_one_request(
    publisher: Site, host_client: Client
) -> None:
    _post(host_client, publisher)
    _post(host_client, publisher, body="Another")
    _post(host_client, publisher, uri="/2026/12/other/")
    uris = ["/2026/12/harbour/", "/2026/12/other/", "/never/commented/"]

    response = host_client.get(
        f"/embed/{publisher.pk}/counts?{urlencode([('uri', u) for u in uris])}", HTTP_ORIGIN=HOST
    )

    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"]
    counts = response.json()["counts"]
    assert [counts[u]["comments"] for u in uris] == [2, 1, 0]
    assert counts["/2026/12/harbour/"]["label"] == "2 comments"
    assert counts["/never/commented/"]["rating"] is None
    assert not Page.objects.filter(uri="/never/commented/").exists()


def test_the_loader_is_one_cacheable_script(host_client: Client) -> None:
    response = host_client.get("/embed.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age" in response["Cache-Control"]
    assert b"__ASSETS__" not in response.content
    assert b"/embed/m/" in response.content


def test_the_noscript_link_opens_a_discussion_page_that_works_without_javascript(
    publisher: Site, host_client: Client
) -> None:
    unknown = host_client.get(f"/embed/{publisher.pk}/discussion?{_query()}")
    assert unknown.status_code == 200
    assert "The harbour" in unknown.content.decode()
    assert not Page.objects.exists()

    _post(host_client, publisher)
    page = Page.objects.get()
    known = host_client.get(f"/embed/{publisher.pk}/discussion?{_query()}")
    assert known.status_code == 302
    assert known["Location"] == f"/discussion/{page.pk}/"
    shown = host_client.get(known["Location"]).content.decode()
    assert "First!" in shown
    assert f'href="{HOST}/2026/12/harbour/"' in shown
