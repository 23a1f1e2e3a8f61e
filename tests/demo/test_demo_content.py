"""The demo content is plain data (demo/data/); these checks keep it coherent enough to seed a
discussion."""

from __future__ import annotations

import re
from statistics import mean

import pytest

from rejoinder.demo.content import DemoArticle, DemoComment, load_content

CONTENT = load_content()
ARTICLE, COMMENTS, RATINGS = CONTENT.article, CONTENT.comments, CONTENT.ratings
MORE_ARTICLES = CONTENT.more_articles

MAX_DEPTH = 3
ARTICLE_FIELDS = {
    "slug",
    "headline",
    "standfirst",
    "author_name",
    "source_line",
    "figure_caption",
    "figure_credit",
    "figure_alt",
    "body",
}
COMMENT_FIELDS = {"key", "parent", "name", "minutes_after", "body", "up", "down"}
# The model columns' max_length, so seeding never truncates or fails validation.
COLUMN_LIMITS = {
    "slug": 120,
    "headline": 300,
    "author_name": 120,
    "source_line": 300,
    "figure_caption": 300,
    "figure_credit": 200,
    "figure_alt": 300,
}

ALL_ARTICLES: list[DemoArticle] = [ARTICLE, *MORE_ARTICLES]
DISCUSSIONS: list[list[DemoComment]] = [COMMENTS] + [a["comments"] for a in MORE_ARTICLES]
DISCUSSION_IDS = [ARTICLE["slug"]] + [a["slug"] for a in MORE_ARTICLES]
ARTICLE_IDS = [a["slug"] for a in ALL_ARTICLES]

every_discussion = pytest.mark.parametrize("comments", DISCUSSIONS, ids=DISCUSSION_IDS)
every_article = pytest.mark.parametrize("article", ALL_ARTICLES, ids=ARTICLE_IDS)


def depths(comments: list[DemoComment]) -> dict[str, int]:
    """Map each comment's key to its depth (0 for top level), assuming parents come first."""
    depth: dict[str, int] = {}
    for comment in comments:
        parent = comment["parent"]
        depth[comment["key"]] = 0 if parent is None else depth[parent] + 1
    return depth


def word_count(markdown: str) -> int:
    return len(markdown.split())


@every_discussion
def test_every_comment_has_exactly_the_expected_fields(comments: list[DemoComment]) -> None:
    for comment in comments:
        assert set(comment) == COMMENT_FIELDS, comment["key"]


@every_discussion
def test_every_comment_key_is_unique(comments: list[DemoComment]) -> None:
    keys = [c["key"] for c in comments]
    assert len(keys) == len(set(keys))


@every_discussion
def test_every_reply_points_to_an_earlier_comment(comments: list[DemoComment]) -> None:
    seen: set[str] = set()
    for comment in comments:
        assert comment["parent"] is None or comment["parent"] in seen, comment["key"]
        seen.add(comment["key"])


@every_discussion
def test_replies_never_nest_more_than_three_levels_deep(comments: list[DemoComment]) -> None:
    assert max(depths(comments).values()) <= MAX_DEPTH


def test_at_least_four_threads_reach_the_deepest_level() -> None:
    by_key = {c["key"]: c for c in COMMENTS}

    def root(key: str) -> str:
        parent = by_key[key]["parent"]
        return key if parent is None else root(parent)

    deepest = [key for key, depth in depths(COMMENTS).items() if depth == MAX_DEPTH]
    assert len(deepest) >= 4
    assert len({root(key) for key in deepest}) >= 4


@every_discussion
def test_every_reply_is_posted_after_its_parent(comments: list[DemoComment]) -> None:
    posted = {c["key"]: c["minutes_after"] for c in comments}
    for comment in comments:
        if comment["parent"] is not None:
            assert comment["minutes_after"] > posted[comment["parent"]], comment["key"]


@every_discussion
def test_comments_are_listed_in_the_order_they_were_posted(comments: list[DemoComment]) -> None:
    minutes = [c["minutes_after"] for c in comments]
    assert minutes == sorted(minutes)
    assert minutes[0] >= 0


def test_the_main_discussion_has_about_forty_comments_and_fifteen_threads() -> None:
    assert 35 <= len(COMMENTS) <= 45
    top_level = [c for c in COMMENTS if c["parent"] is None]
    assert 12 <= len(top_level) <= 18


def test_the_main_discussion_is_spread_over_about_two_days() -> None:
    last = max(c["minutes_after"] for c in COMMENTS)
    assert 24 * 60 < last <= 3 * 24 * 60


@every_discussion
def test_no_comment_body_is_empty_or_longer_than_2000_characters(
    comments: list[DemoComment],
) -> None:
    for comment in comments:
        assert 0 < len(comment["body"].strip()) <= 2000, comment["key"]


@every_discussion
def test_display_names_fit_in_60_characters(comments: list[DemoComment]) -> None:
    for comment in comments:
        assert 0 < len(comment["name"]) <= 60, comment["key"]


@every_discussion
def test_vote_counts_stay_within_the_demo_ranges(comments: list[DemoComment]) -> None:
    for comment in comments:
        assert 0 <= comment["up"] <= 25, comment["key"]
        assert 0 <= comment["down"] <= 8, comment["key"]


def test_there_are_twenty_ratings_of_one_to_five_stars() -> None:
    assert len(RATINGS) == 20
    assert all(1 <= stars <= 5 for stars in RATINGS)


def test_the_ratings_average_about_three_point_eight() -> None:
    assert mean(RATINGS) == pytest.approx(3.8, abs=0.2)


@every_article
def test_every_article_has_the_expected_fields_filled_in(article: DemoArticle) -> None:
    assert set(article) >= ARTICLE_FIELDS
    for field in ARTICLE_FIELDS:
        assert article[field].strip(), field  # type: ignore[literal-required]


@every_article
def test_article_fields_fit_their_database_columns(article: DemoArticle) -> None:
    for field, limit in COLUMN_LIMITS.items():
        assert len(article[field]) <= limit, field  # type: ignore[literal-required]


def test_article_slugs_are_unique_and_url_safe() -> None:
    slugs = [a["slug"] for a in ALL_ARTICLES]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in slugs)


def test_the_main_article_is_a_full_length_story_with_two_subheadings() -> None:
    body = ARTICLE["body"]
    assert 700 <= word_count(body) <= 900
    assert len(re.findall(r"^## ", body, flags=re.MULTILINE)) == 2
    assert re.search(r"^> ", body, flags=re.MULTILINE)
    assert re.search(r"^- ", body, flags=re.MULTILINE)


def test_the_extra_articles_are_short_with_a_few_comments_and_ratings() -> None:
    assert len(MORE_ARTICLES) == 2
    for article in MORE_ARTICLES:
        assert 180 <= word_count(article["body"]) <= 350, article["slug"]
        assert 3 <= len(article["comments"]) <= 6, article["slug"]
        assert 3 <= len(article["ratings"]) <= 8, article["slug"]
        assert all(1 <= stars <= 5 for stars in article["ratings"]), article["slug"]
