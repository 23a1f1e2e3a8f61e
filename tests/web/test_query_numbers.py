"""Numbers in query strings and forms, read the same way by every surface: a number or None,
never a server error (str.isdigit accepts "²", which int() refuses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.comments.thread import encode_cursor
from rejoinder.inline.models import Prompt
from rejoinder.inline.revisions import pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.moderation.models import ModeratorRole
from rejoinder.pages.models import Article, Page, Site
from rejoinder.pages.publishing import save_article
from rejoinder.web.query import small_int, valid_cursor


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("0", 0),
        ("7", 7),
        ("000123", 123),
        ("999999999", 999_999_999),
        ("1234567890", None),  # ten digits: beyond any id or page we serve
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits
        ("-1", None),
        (" 1", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_small_int_reads_only_plain_ascii_digits(value: str | None, number: int | None) -> None:
    assert small_int(value) == number


def test_a_cursor_is_kept_only_when_it_parses(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    comment = post_comment(page=page, author=make_reader(), name="Ana", body="A point.")
    cursor = encode_cursor(comment)
    assert valid_cursor(cursor) == cursor
    for bad in ["", None, "nonsense", "1.2.nan", "².1.0"]:
        assert valid_cursor(bad) is None


def test_a_queue_link_with_a_malformed_before_shows_the_newest_comments(
    site: Site, page: Page, make_reader: Callable[[], Commenter], django_user_model: Any
) -> None:
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=moderator, site=site, role="moderator")
    comment = post_comment(page=page, author=make_reader(), name="Ana", body="A point.")
    client = Client()
    client.force_login(moderator)

    response = client.get(f"/moderation/{site.pk}/queue/recent/?before=%C2%B2")

    assert response.status_code == 200
    assert f'id="mod-item-{comment.pk}"' in response.content.decode()


def test_an_api_thread_limit_that_is_not_ascii_digits_is_a_clear_error(
    client: Client, page: Page
) -> None:
    response = client.get(f"/api/v1/threads?uri={page.uri}&limit=%C2%B2")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == "limit"


def test_a_refused_answer_with_a_malformed_question_number_keeps_the_readers_text(
    client: Client, db: None
) -> None:
    article = save_article(
        Article(slug="bridge", headline="Bridge", body="One.\n\nTwo.", author_name="Ed")
    )
    prompt = Prompt(page=article.page, question="Is this money well spent?")
    text = extract_text(article.body_html)
    pin_prompt(prompt, text, text.blocks[0])
    prompt.save()

    response = client.post(
        f"/discussion/{article.page.pk}/comments",
        {"name": "Ana", "body": "My careful answer.", "prompt": "²"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "My careful answer." in html
    assert 'class="rj-form-error"' in html
