from collections.abc import Callable

from tests.conftest import ApiClient

from rejoinder.comments.models import Comment
from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import Page, Site


def _count(comments: list[dict]) -> int:
    return sum(1 + _count(c["replies"]) for c in comments)


def test_a_thread_reads_as_nested_json_with_page_totals(api: ApiClient, page: Page) -> None:
    top = api.post_comment(page.uri, "Top").json()["comment"]
    api.post_comment(page.uri, "Reply", parent=top["id"])
    response = api.get(f"/threads?uri={page.uri}")
    assert response.status_code == 200
    data = response.json()
    assert data["page"]["comment_count"] == 2
    assert data["page"]["rating"] == {"average": None, "count": 0}
    (comment,) = data["comments"]
    assert comment["html"] == "<p>Top</p>"
    assert comment["author"] == {"name": "Ana", "website": None}
    assert comment["replies"][0]["parent"] == top["id"]
    assert "email" not in response.content.decode()


def test_the_reader_sees_which_comments_are_theirs(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    author, other = make_api(), make_api()
    author.post_comment(page.uri)
    mine = author.get(f"/threads?uri={page.uri}").json()["comments"][0]
    assert mine["mine"] is True
    other.post_comment(page.uri, "Mine")
    theirs = {c["html"]: c for c in other.get(f"/threads?uri={page.uri}").json()["comments"]}
    assert theirs["<p>A fair point.</p>"]["mine"] is False
    assert theirs["<p>Mine</p>"]["mine"] is True


def test_limit_all_returns_every_comment_and_pages_split_the_rest(
    make_api: Callable[[], ApiClient], page: Page, site: Site, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REJOINDER = {**settings.REJOINDER, "RATE_LIMITS_ENABLED": False}
    Site.objects.filter(pk=site.pk).update(page_size=3)
    client = make_api()
    for n in range(7):
        client.post_comment(page.uri, f"Comment {n}")
    first = client.get(f"/threads?uri={page.uri}&sort=oldest").json()
    assert len(first["comments"]) == 3
    assert first["next_page"] == 2
    last = client.get(f"/threads?uri={page.uri}&sort=oldest&page=3").json()
    assert len(last["comments"]) == 1
    assert last["next_page"] is None
    everything = client.get(f"/threads?uri={page.uri}&limit=all").json()
    assert _count(everything["comments"]) == 7


def test_a_cached_thread_changes_as_soon_as_the_page_does(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    anonymous = make_api()
    assert anonymous.get(f"/threads?uri={page.uri}").json()["comments"] == []
    make_api().post_comment(page.uri)
    assert len(anonymous.get(f"/threads?uri={page.uri}").json()["comments"]) == 1


def test_an_unchanged_thread_answers_304_to_its_etag(api: ApiClient, page: Page) -> None:
    first = api.get(f"/threads?uri={page.uri}")
    again = api.get(f"/threads?uri={page.uri}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_compressed_threads_weak_etag_still_answers_304(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    """Browsers ask for gzip, and the compressed answer's ETag is weak (`W/"…"`)."""
    make_api().post_comment(page.uri, "Long enough to be worth compressing. " * 10)
    reader = make_api()
    gzip = {"Accept-Encoding": "gzip"}
    first = reader.client.get(f"/api/v1/threads?uri={page.uri}", headers=gzip)
    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    again = reader.client.get(
        f"/api/v1/threads?uri={page.uri}", headers={**gzip, "If-None-Match": first["ETag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_any_etag_of_an_if_none_match_list_answers_304(api: ApiClient, page: Page) -> None:
    etag = api.get(f"/threads?uri={page.uri}")["ETag"]
    listed = api.get(f"/threads?uri={page.uri}", headers={"If-None-Match": f'"old", {etag}'})
    assert listed.status_code == 304
    anything = api.get(f"/threads?uri={page.uri}", headers={"If-None-Match": "*"})
    assert anything.status_code == 304


def test_a_new_comment_or_another_reader_gets_the_thread_again(
    make_api: Callable[[], ApiClient], page: Page, site: Site
) -> None:
    author, other = make_api(), make_api()
    author.post_comment(page.uri)
    other.post_comment(ensure_page(site, "/news/elsewhere/").uri)  # known, but not here
    etag = author.get(f"/threads?uri={page.uri}")["ETag"]
    assert (
        author.get(f"/threads?uri={page.uri}", headers={"If-None-Match": etag}).status_code == 304
    )
    theirs = other.get(f"/threads?uri={page.uri}", headers={"If-None-Match": etag})
    assert theirs.status_code == 200
    assert theirs.json()["comments"][0]["mine"] is False
    assert theirs["Cache-Control"] in ("no-cache, private", "private, no-cache")
    author.post_comment(page.uri, "Another")
    changed = author.get(f"/threads?uri={page.uri}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert len(changed.json()["comments"]) == 2


def test_unknown_pages_and_bad_paging_are_clear_errors(api: ApiClient, page: Page) -> None:
    missing = api.get("/threads?uri=/nope/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert "/nope/" in missing.json()["detail"]
    assert api.get(f"/threads?uri={page.uri}&limit=0").status_code == 422
    assert api.get(f"/threads?uri={page.uri}&page=0").status_code == 422
    assert api.get(f"/threads?uri={page.uri}&page=abc").status_code == 422
    assert api.get("/threads").status_code == 422


def test_the_thread_output_matches_its_declared_schema(api: ApiClient, page: Page) -> None:
    from rejoinder.api.schemas import ThreadOut

    top = api.post_comment(page.uri).json()["comment"]
    api.post_comment(page.uri, parent=top["id"])
    Comment.objects.filter(pk=top["id"]).update(status="removed")
    ThreadOut.model_validate(api.get(f"/threads?uri={page.uri}").json())
    ThreadOut.model_validate(api.get(f"/threads?uri={page.uri}&limit=all").json())


def test_the_next_cursor_walks_the_whole_thread_once(
    make_api: Callable[[], ApiClient], page: Page, site: Site, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REJOINDER = {**settings.REJOINDER, "RATE_LIMITS_ENABLED": False}
    Site.objects.filter(pk=site.pk).update(page_size=2)
    client = make_api()
    for n in range(5):
        client.post_comment(page.uri, f"Comment {n}")
    seen, url = [], f"/threads?uri={page.uri}&sort=newest"
    while url:
        data = client.get(url).json()
        seen += [c["html"] for c in data["comments"]]
        url = (
            f"/threads?uri={page.uri}&sort=newest&after={data['next_cursor']}"
            if data["next_cursor"]
            else ""
        )
    assert seen == [f"<p>Comment {n}</p>" for n in reversed(range(5))]
    assert client.get(f"/threads?uri={page.uri}&after=nonsense").status_code == 422
