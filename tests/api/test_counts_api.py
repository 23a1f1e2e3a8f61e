from tests.conftest import ApiClient

from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import Page, Site


def test_counts_for_many_pages_in_one_request(api: ApiClient, page: Page, site: Site) -> None:
    other = ensure_page(site, "/news/other/")
    api.post_comment(page.uri)
    api.post_comment(page.uri)
    by_post = api.post("/counts", {"uris": [page.uri, other.uri, "/unknown/"]}).json()
    assert by_post == {"counts": {page.uri: 2, other.uri: 0, "/unknown/": 0}}
    by_get = api.get(f"/counts?uri={page.uri}&uri={other.uri}").json()
    assert by_get == {"counts": {page.uri: 2, other.uri: 0}}


def test_too_many_uris_is_a_clear_error(api: ApiClient, site: Site) -> None:
    response = api.post("/counts", {"uris": [f"/p/{n}/" for n in range(201)]})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_counts_read_one_query_for_fifty_pages(
    api: ApiClient, site: Site, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    uris = [f"/news/a-{n}/" for n in range(50)]
    for uri in uris:
        ensure_page(site, uri)
    with django_assert_max_num_queries(3):
        assert len(api.post("/counts", {"uris": uris}).json()["counts"]) == 50
