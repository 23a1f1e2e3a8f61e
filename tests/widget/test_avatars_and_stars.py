"""What the box draws from data: initials avatars and the stars of an average rating."""

import re
from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article
from rejoinder.ratings.rating import rate_page
from rejoinder.widget.avatars import AVATAR_COLOURS, avatar_colour, initials
from rejoinder.widget.templatetags.discussion import star_fills


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amal K.", "AK"),
        ("Tom", "T"),
        ("jess", "J"),
        ("Ana María de la Cruz", "AC"),
        ("  Dr.  M.  Menzah ", "DM"),
        ("O'Brien", "O"),
        ("🦊 fox", "F"),
        ("élodie ßeta", "ÉS"),
        ("李小龙", "李"),
        ("--- !!!", "?"),
        ("", "?"),
    ],
)
def test_initials_are_the_first_letters_of_the_first_and_last_words(
    name: str, expected: str
) -> None:
    assert initials(name) == expected


def test_an_avatar_colour_is_stable_spread_and_keyed(settings: Settings) -> None:
    colours = [avatar_colour(author_id) for author_id in range(1, 201)]
    assert colours == [avatar_colour(author_id) for author_id in range(1, 201)]
    assert set(colours) == set(range(AVATAR_COLOURS))

    settings.SECRET_KEY = "another key, another mapping " * 2
    assert [avatar_colour(author_id) for author_id in range(1, 201)] != colours


@pytest.fixture
def article(db: None) -> Article:
    return save_article(Article(slug="ferry", headline="Ferry", body="Text.", author_name="R"))


def avatars(html: str) -> dict[str, str]:
    """Return {comment id: the avatar markup in that comment}."""
    found = {}
    for match in re.finditer(
        r'id="comment-(\d+)".*?(<span class="rj-avatar[^>]*>[^<]*</span>)', html, re.S
    ):
        found[match[1]] = match[2]
    return found


def test_every_comment_has_a_local_initials_avatar_coloured_by_its_author(
    client: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    amal, tom = make_reader(), make_reader()
    first = post_comment(
        page=article.page, author=amal, name="Amal K.", body="One", moderated=False
    )
    renamed = post_comment(page=article.page, author=amal, name="amal", body="Two", moderated=False)
    other = post_comment(page=article.page, author=tom, name="Tom", body="Three", moderated=False)

    html = client.get(article.get_absolute_url()).content.decode()
    found = avatars(html)

    colour = f'class="rj-avatar rj-avatar-{avatar_colour(amal.pk)}" aria-hidden="true"'
    assert found[str(first.pk)] == f"<span {colour}>AK</span>"
    assert found[str(renamed.pk)] == f"<span {colour}>A</span>"
    assert f"rj-avatar-{avatar_colour(tom.pk)}" in found[str(other.pk)]
    assert "<img" not in html.split('id="comments"')[1]
    assert "gravatar" not in html


@pytest.mark.parametrize(
    ("average", "fills"),
    [
        (None, [0, 0, 0, 0, 0]),
        (1.0, [4, 0, 0, 0, 0]),
        (4.2, [4, 4, 4, 4, 1]),
        (3.8, [4, 4, 4, 3, 0]),
        (2.5, [4, 4, 2, 0, 0]),
        (5.0, [4, 4, 4, 4, 4]),
    ],
)
def test_an_average_fills_stars_to_the_nearest_quarter(
    average: float | None, fills: list[int]
) -> None:
    assert star_fills(average) == fills


def test_the_rating_shows_the_average_as_filled_stars_with_votes(
    client: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    for stars in (4, 4, 5, 4, 4):
        rate_page(page=article.page, rater=make_reader(), stars=stars, ip_hash="", limited=False)

    html = client.get(article.get_absolute_url()).content.decode()
    summary = re.search(r'<p class="rj-rating-summary">(.*?)</p>', html, re.S)

    assert summary
    assert re.findall(r"rj-star-shape rj-fill-(\d)", summary[1]) == ["4", "4", "4", "4", "1"]
    text = re.sub(r"<[^>]+>|\s+", " ", summary[1]).split()
    assert " ".join(text) == "4.2 · 5 votes · Article Rating"
