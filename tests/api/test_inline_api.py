"""Inline feedback through the JSON API: posting about passages, reading them back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.conftest import ApiClient
from tests.inline.conftest import edit_article
from tests.inline.corpus import BUDGET, drop_paragraph, edit

from rejoinder.api.schemas import (
    OriginalPassageOut,
    PassagesOut,
    PostedCommentOut,
    PromptsOut,
    ThreadOut,
)
from rejoinder.comments.models import Comment
from rejoinder.inline.models import Anchor, Prompt
from rejoinder.inline.revisions import page_text, pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article, Page

PASSAGE = "operate on last year's spending plan"


def passage_at(article: Article, passage: str) -> dict[str, Any]:
    text = page_text(article.page) or ""
    start = text.index(passage)
    return {"exact": passage, "start": start, "end": start + len(passage)}


def test_a_comment_about_a_passage_round_trips_through_the_thread(
    api: ApiClient, article: Article
) -> None:
    selector = passage_at(article, PASSAGE)
    posted = api.post_comment(article.page.uri, "Why March?", passage=selector)
    assert posted.status_code == 201
    PostedCommentOut.model_validate(posted.json())
    passage = posted.json()["comment"]["passage"]
    assert passage["exact"] == PASSAGE
    assert (passage["start"], passage["end"]) == (selector["start"], selector["end"])
    assert passage["current"] == {"start": selector["start"], "end": selector["end"]}
    assert passage["revision"] == 1
    assert passage["found_by"] == "created"
    assert passage["orphaned"] is False
    assert passage["changed"] is False
    assert posted.json()["comment"]["prompt"] is None

    thread = api.get(f"/threads?uri={article.page.uri}").json()
    ThreadOut.model_validate(thread)
    assert thread["comments"][0]["passage"] == passage


def test_after_an_edit_the_thread_says_where_the_passage_is_and_that_it_changed(
    make_api: Callable[[], ApiClient], article: Article
) -> None:
    api = make_api()
    comment = api.post_comment(article.page.uri, passage=passage_at(article, PASSAGE)).json()[
        "comment"
    ]
    edit_article(article, "Intro.\n\n" + edit(BUDGET, ("spending plan", "spending plans")))
    anonymous = make_api()
    passage = anonymous.get(f"/threads?uri={article.page.uri}").json()["comments"][0]["passage"]
    text = page_text(article.page) or ""
    assert passage["found_by"] == "fuzzy"
    assert passage["changed"] is True
    assert text[passage["current"]["start"] : passage["current"]["end"]].startswith(
        "operate on last year's spending plan"
    )
    original = anonymous.get(f"/comments/{comment['id']}/passage")
    assert original.status_code == 200
    OriginalPassageOut.model_validate(original.json())
    data = original.json()
    assert data["revision"] == 1
    assert data["context"].startswith("The delay means")
    assert data["context"][data["start"] - data["context_start"] :].startswith(PASSAGE)

    edit_article(article, drop_paragraph(BUDGET, 1))
    passage = api.get(f"/threads?uri={article.page.uri}").json()["comments"][0]["passage"]
    assert passage["orphaned"] is True
    assert passage["current"] is None
    assert passage["exact"] == PASSAGE


def test_the_inline_filter_lists_only_comments_about_passages(
    api: ApiClient, article: Article
) -> None:
    inline = api.post_comment(article.page.uri, "On it", passage=passage_at(article, PASSAGE))
    api.post_comment(article.page.uri, "General")
    reply = api.post_comment(article.page.uri, "Reply", parent=inline.json()["comment"]["id"])
    data = api.get(f"/threads?uri={article.page.uri}&filter=inline").json()
    assert [c["html"] for c in data["comments"]] == ["<p>On it</p>"]
    assert data["comments"][0]["replies"][0]["id"] == reply.json()["comment"]["id"]
    assert data["comments"][0]["replies"][0]["passage"] is None
    assert len(api.get(f"/threads?uri={article.page.uri}").json()["comments"]) == 2
    anonymous = ApiClient()
    assert (
        len(anonymous.get(f"/threads?uri={article.page.uri}&filter=inline").json()["comments"]) == 1
    )
    assert len(anonymous.get(f"/threads?uri={article.page.uri}").json()["comments"]) == 2
    assert api.get(f"/threads?uri={article.page.uri}&filter=odd").status_code == 422


def test_passages_list_groups_comments_and_answers_304_when_unchanged(
    make_api: Callable[[], ApiClient], article: Article
) -> None:
    ids = [
        make_api()
        .post_comment(article.page.uri, passage=passage_at(article, PASSAGE))
        .json()["comment"]["id"]
        for _n in range(2)
    ]
    api = make_api()
    response = api.get(f"/passages?uri={article.page.uri}")
    assert response.status_code == 200
    PassagesOut.model_validate(response.json())
    data = response.json()
    assert data["revision"] == 1
    (passage,) = data["passages"]
    assert passage["comment_ids"] == ids
    assert passage["count"] == 2
    again = api.get(
        f"/passages?uri={article.page.uri}", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_passages_and_prompts_answer_304_to_the_weak_etag_of_a_compressed_answer(
    make_api: Callable[[], ApiClient], article: Article
) -> None:
    make_api().post_comment(article.page.uri, passage=passage_at(article, PASSAGE))
    client = make_api().client
    gzip = {"Accept-Encoding": "gzip"}
    for path in (
        f"/api/v1/passages?uri={article.page.uri}",
        f"/api/v1/prompts?uri={article.page.uri}",
    ):
        first = client.get(path, headers=gzip)
        etag = first["ETag"] if first["ETag"].startswith("W/") else f"W/{first['ETag']}"
        again = client.get(path, headers={**gzip, "If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.content == b""


@pytest.fixture
def prompt(article: Article) -> Prompt:
    text = extract_text(article.body_html)
    prompt = Prompt(page=article.page, question="Was the delay <right>?")
    pin_prompt(prompt, text, text.blocks[1])
    prompt.save()
    return prompt


def test_answering_a_prompt_and_listing_prompts(
    api: ApiClient, article: Article, prompt: Prompt
) -> None:
    posted = api.post_comment(article.page.uri, "Yes", prompt_id=prompt.pk).json()["comment"]
    assert posted["prompt"] == {"id": prompt.pk, "question": "Was the delay <right>?"}
    assert posted["passage"]["exact"].startswith("The delay means")
    response = api.get(f"/prompts?uri={article.page.uri}")
    PromptsOut.model_validate(response.json())
    (listed,) = response.json()["prompts"]
    assert listed["id"] == prompt.pk
    assert listed["block"] == 1
    assert listed["answer_count"] == 1
    thread = api.get(f"/threads?uri={article.page.uri}").json()
    assert thread["comments"][0]["prompt"]["id"] == prompt.pk


def test_an_embedded_page_takes_the_quote_as_given(api: ApiClient, page: Page) -> None:
    posted = api.post_comment(
        page.uri, passage={"exact": "host page words", "prefix": "the ", "start": 3, "end": 9}
    )
    assert posted.status_code == 201
    passage = posted.json()["comment"]["passage"]
    assert passage["exact"] == "host page words"
    assert passage["start"] is None
    assert passage["revision"] is None
    assert passage["current"] is None
    assert passage["orphaned"] is False
    listed = api.get(f"/passages?uri={page.uri}").json()
    assert listed["revision"] is None
    assert listed["passages"][0]["exact"] == "host page words"
    assert listed["passages"][0]["start"] is None


@pytest.mark.parametrize(
    ("passage", "detail"),
    [
        ({"exact": "not in the article at all"}, "does not occur"),
        ({"exact": "x" * 2001}, "at most"),
        ({"exact": PASSAGE, "start": 0, "end": 10**6}, "outside the article"),
        ({"exact": PASSAGE, "start": 40, "end": 20}, "end after it starts"),
        ({"exact": ""}, "empty"),
    ],
)
def test_bad_passages_get_a_problem_and_store_nothing(
    api: ApiClient, article: Article, passage: dict[str, Any], detail: str
) -> None:
    before = (Comment.objects.count(), Anchor.objects.count())
    response = api.post_comment(article.page.uri, passage=passage)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert detail in problem["detail"]
    assert problem["field"] == "passage"
    assert (Comment.objects.count(), Anchor.objects.count()) == before


def test_position_only_on_an_embedded_page_and_bad_prompts_are_refused(
    api: ApiClient, page: Page, article: Article, prompt: Prompt
) -> None:
    before = (Comment.objects.count(), Anchor.objects.count())
    for uri, extra in [
        (page.uri, {"passage": {"start": 0, "end": 4}}),
        (page.uri, {"prompt_id": prompt.pk}),
        (article.page.uri, {"prompt_id": prompt.pk + 1000}),
    ]:
        response = api.post_comment(uri, **extra)
        assert response.status_code == 422, extra
        assert response.json()["field"] == "passage"
    Prompt.objects.filter(pk=prompt.pk).update(is_open=False)
    assert api.post_comment(article.page.uri, prompt_id=prompt.pk).status_code == 422
    assert (Comment.objects.count(), Anchor.objects.count()) == before


def test_an_anchored_reply_is_refused(api: ApiClient, article: Article) -> None:
    top = api.post_comment(article.page.uri).json()["comment"]
    response = api.post_comment(
        article.page.uri, parent=top["id"], passage=passage_at(article, PASSAGE)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "parent"


def test_no_original_passage_for_a_plain_comment(api: ApiClient, article: Article) -> None:
    plain = api.post_comment(article.page.uri).json()["comment"]
    response = api.get(f"/comments/{plain['id']}/passage")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_thread_read_adds_one_query_for_the_passages(
    api: ApiClient,
    article: Article,
    django_assert_max_num_queries: Callable,  # type: ignore[type-arg]
) -> None:
    for _n in range(5):
        api.post_comment(article.page.uri, passage=passage_at(article, PASSAGE))
    # Page lookup, reader, top-level window, replies, votes, anchors, the reader's own held.
    with django_assert_max_num_queries(7):
        data = api.get(f"/threads?uri={article.page.uri}&limit=all").json()
    assert all(c["passage"]["exact"] == PASSAGE for c in data["comments"])
