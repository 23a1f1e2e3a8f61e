"""What an attacker sends the JSON API: every request gets a 4xx problem naming the input."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from tests.api.test_moderation_api import _signed_in, moderator  # noqa: F401 - fixture
from tests.conftest import ApiClient

from rejoinder.comments.models import Comment, Vote
from rejoinder.moderation.models import AuditEntry, Ban
from rejoinder.pages.models import Page
from rejoinder.ratings.models import Rating


def _raw(api: ApiClient, method: str, path: str, body: str, **extra: Any) -> Any:
    return getattr(api.client, method)(
        f"/api/v1{path}", data=body, content_type="application/json", **extra
    )


def _post_from(api: ApiClient, page: Page, **headers: str) -> Any:
    return api.post("/comments", {"uri": page.uri, "name": "Ana", "body": "x"}, headers=headers)


def _assert_problem(response: Any, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"]
    if field is not None:
        assert problem["field"] == field
    return problem


# Nesting


def test_json_nested_thousands_of_levels_deep_is_a_400_that_names_the_limit(
    api: ApiClient, page: Page
) -> None:
    deep = "[" * 3000 + "]" * 3000
    body = f'{{"uri": "{page.uri}", "name": "A", "body": "x", "passage": {deep}}}'
    assert len(body) < 64 * 1024
    problem = _assert_problem(_raw(api, "post", "/comments", body), 400)
    assert "nested more than 32 levels" in problem["detail"]
    assert Comment.objects.count() == 0


def test_objects_nested_deeply_are_refused_too(api: ApiClient, page: Page) -> None:
    body = '{"a":' * 33 + "1" + "}" * 33
    _assert_problem(_raw(api, "put", "/ratings", body), 400)
    assert not Rating.objects.exists()


def test_brackets_inside_strings_are_text_not_nesting(api: ApiClient, page: Page) -> None:
    text = "[" * 100 + '{"quoted \\"[" ' + "]" * 100
    response = api.post_comment(page.uri, text)
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body == text


def test_nan_and_infinity_are_not_json(api: ApiClient, page: Page) -> None:
    body = f'{{"uri": "{page.uri}", "stars": NaN}}'
    _assert_problem(_raw(api, "put", "/ratings", body), 400)


# NUL and unpaired surrogates: not text, and PostgreSQL's text type cannot hold NUL


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": "\\ud800"}, "body"),
        ({"body": "a \\u0000 b"}, "body"),
        ({"name": "Ana\\u0000"}, "name"),
        ({"passage": {"prefix": "\\u0000"}}, "passage.prefix"),
        ({"name": "Ana \\udfff"}, "name"),
        ({"uri": "/news/\\ud800"}, "uri"),
        ({"website": "https://example.org/\\ud800"}, "website"),
        ({"email": "ana\\ud800@example.org"}, "email"),
        ({"passage": {"exact": "x\\ud800"}}, "passage.exact"),
    ],
)
def test_a_nul_or_lone_surrogate_in_any_string_is_a_400_naming_the_field(
    api: ApiClient, page: Page, fields: dict[str, Any], field: str
) -> None:
    data: dict[str, Any] = {"uri": page.uri, "name": "Ana", "body": "x", **fields}
    # json.dumps would escape the backslash; splice the escapes in as a client would send them.
    body = json.dumps(data).replace("\\\\u", "\\u")
    problem = _assert_problem(_raw(api, "post", "/comments", body), 400, field)
    assert "not text" in problem["detail"]
    assert Comment.objects.count() == 0


def test_a_lone_surrogate_in_a_list_is_named_by_its_position(api: ApiClient, page: Page) -> None:
    body = '{"uris": ["/a/", "/b\\ud800/"]}'
    _assert_problem(_raw(api, "post", "/counts", body), 400, "uris[1]")


def test_an_escaped_surrogate_pair_is_a_character_and_is_kept(api: ApiClient, page: Page) -> None:
    body = f'{{"uri": "{page.uri}", "name": "Ana", "body": "smile \\ud83d\\ude00"}}'
    response = _raw(api, "post", "/comments", body)
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body == "smile \U0001f600"


# Strict types


@pytest.mark.parametrize("value", ["true", "false", '"1"', "1.0"])
def test_a_vote_must_be_the_integer_1_0_or_minus_1(
    make_api: Callable[[], ApiClient], page: Page, value: str
) -> None:
    comment_id = make_api().post_comment(page.uri).json()["comment"]["id"]
    voter = make_api()
    response = _raw(voter, "post", f"/comments/{comment_id}/vote", f'{{"value": {value}}}')
    _assert_problem(response, 422, "value")
    assert not Vote.objects.exists()


@pytest.mark.parametrize("stars", ["true", '"5"', "5.0", "[5]"])
def test_stars_must_be_an_integer(api: ApiClient, page: Page, stars: str) -> None:
    response = _raw(api, "put", "/ratings", f'{{"uri": "{page.uri}", "stars": {stars}}}')
    _assert_problem(response, 422, "stars")
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"site": "1"}, "site"),
        ({"site": True}, "site"),
        ({"parent": "1"}, "parent"),
        ({"prompt_id": True}, "prompt_id"),
        ({"passage": {"exact": "x", "start": True, "end": 2}}, "passage.start"),
        ({"passage": {"exact": "x", "start": 0, "end": "2"}}, "passage.end"),
    ],
)
def test_comment_fields_take_no_coerced_numbers(
    api: ApiClient, page: Page, extra: dict[str, Any], field: str
) -> None:
    response = api.post("/comments", {"uri": page.uri, "name": "Ana", "body": "x", **extra})
    _assert_problem(response, 422, field)
    assert Comment.objects.count() == 0


def test_counts_take_no_coerced_site(api: ApiClient, page: Page) -> None:
    _assert_problem(api.post("/counts", {"uris": [page.uri], "site": "1"}), 422, "site")


def test_moderation_payloads_take_no_coerced_ids_or_booleans(
    page: Page,
    make_api: Callable[[], ApiClient],
    moderator: Any,  # noqa: F811 - the fixture imported above
) -> None:
    comment_id = make_api().post_comment(page.uri).json()["comment"]["id"]
    mod = _signed_in(moderator)
    act = mod.post("/moderation/actions", {"comment_ids": [str(comment_id)], "action": "remove"})
    _assert_problem(act, 422, "comment_ids[0]")
    ban = mod.post("/moderation/bans", {"comment_id": comment_id, "by_email": "yes"})
    _assert_problem(ban, 422, "by_email")
    forever_and_more = mod.post(
        "/moderation/bans", {"comment_id": comment_id, "duration_hours": 1e300}
    )
    _assert_problem(forever_and_more, 422, "duration_hours")
    nul_reason = mod.post("/moderation/bans", {"comment_id": comment_id, "reason": "a\x00b"})
    _assert_problem(nul_reason, 400, "reason")
    assert not AuditEntry.objects.exists()
    assert not Ban.objects.exists()


# Websites and email addresses


@pytest.mark.parametrize(
    "website",
    [
        'https://example.com/"><script>alert(1)</script>',
        "https://example.com/'onmouseover='x",
        "https://example.com/<b>",
        "https://example.com/a b",
        "https://example.com/a\u0085b",
        "https://example.com\\@evil.example",
    ],
)
def test_a_website_with_markup_characters_is_refused(
    api: ApiClient, page: Page, website: str
) -> None:
    response = api.post_comment(page.uri, website=website)
    _assert_problem(response, 422, "website")
    assert Comment.objects.count() == 0


def test_an_email_with_a_local_part_over_64_octets_is_refused(api: ApiClient, page: Page) -> None:
    response = api.post_comment(page.uri, email="a" * 65 + "@example.org")
    problem = _assert_problem(response, 422, "email")
    assert "64" in problem["detail"]
    assert Comment.objects.count() == 0
    assert api.post_comment(page.uri, email="a" * 64 + "@example.org").status_code == 201


# Where writes come from


def test_a_write_without_origin_from_a_cross_site_referer_is_refused(
    api: ApiClient, page: Page
) -> None:
    response = _post_from(api, page, Referer="https://evil.example/page")
    problem = _assert_problem(response, 403)
    assert "https://evil.example" in problem["detail"]
    assert Comment.objects.count() == 0


def test_a_referer_that_is_not_a_web_address_is_refused(api: ApiClient, page: Page) -> None:
    response = _post_from(api, page, Referer="data:text/html,x")
    _assert_problem(response, 403)


@pytest.mark.parametrize(
    "referer", ["http://testserver/articles/x/", "HTTPS://News.Example.org/story?id=1"]
)
def test_a_write_without_origin_from_our_pages_or_an_embedding_site_passes(
    api: ApiClient, page: Page, referer: str
) -> None:
    page.site.allowed_origins = "https://news.example.org\n"
    page.site.save()
    response = _post_from(api, page, Referer=referer)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site"])
def test_a_browser_write_with_neither_origin_nor_referer_must_be_same_origin(
    api: ApiClient, page: Page, fetch_site: str
) -> None:
    response = _post_from(api, page, **{"Sec-Fetch-Site": fetch_site})
    _assert_problem(response, 403)
    same = _post_from(api, page, **{"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 201


def test_origin_decides_over_referer(api: ApiClient, page: Page) -> None:
    response = _post_from(
        api, page, Origin="https://evil.example", Referer="http://testserver/articles/x/"
    )
    _assert_problem(response, 403)


def test_a_client_with_no_browser_headers_still_writes(api: ApiClient, page: Page) -> None:
    assert api.post_comment(page.uri).status_code == 201


# Ids


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", f"/comments/{2**70}/passage", None, "comment_id"),
        ("post", f"/comments/{2**70}/vote", {"value": 1}, "comment_id"),
        (
            "post",
            "/comments",
            {"uri": "/news/budget-vote/", "name": "A", "body": "x", "parent": 2**70},
            "parent",
        ),
        ("put", "/ratings", {"uri": "/news/budget-vote/", "site": 2**64, "stars": 3}, "site"),
    ],
)
def test_an_id_too_large_for_the_database_is_a_422_naming_it(
    api: ApiClient, page: Page, method: str, path: str, body: Any, field: str
) -> None:
    response = api.call(method, path, body)
    _assert_problem(response, 422, field)
    assert Comment.objects.count() == 0


def test_an_unknown_site_is_a_404_problem_naming_it(
    moderator: Any,  # noqa: F811 - the fixture imported above
) -> None:
    response = _signed_in(moderator).get("/moderation/sites/987654/counts")
    _assert_problem(response, 404, "site_id")
