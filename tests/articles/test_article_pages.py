import json
import re
from collections.abc import Callable

import pytest
from django.test import Client

from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article
from rejoinder.ratings.rating import rate_page


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(
            slug="bridge-reopens",
            headline="Bridge reopens <after> repairs",
            standfirst="Traffic returns on Monday.",
            body="## Details\n\nThe bridge **reopens**.\n\n<script>alert(1)</script>",
            author_name="Ruth P.",
            figure_url="/static/rejoinder/demo-figure.svg",
            figure_caption="The bridge",
            figure_credit="Photo: Staff",
            source_line="Eastbridge Courier",
        )
    )


def test_the_article_page_shows_every_part_of_the_article(client: Client, article: Article) -> None:
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Bridge reopens &lt;after&gt; repairs" in html
    assert "Traffic returns on Monday." in html
    assert "By Ruth P." in html
    # Blocks carry the inline-feedback markers (data-rj-block, …) besides their text.
    assert re.search(r"<h2( [^>]*)?>Details</h2>", html)
    assert "<strong>reopens</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "The bridge" in html
    assert "Photo: Staff" in html
    assert "Eastbridge Courier" in html
    assert "<time datetime=" in html


def test_the_page_carries_news_article_json_ld_with_rating_and_comment_count(
    client: Client, article: Article, make_reader: Callable
) -> None:  # type: ignore[type-arg]
    post_comment(
        page=article.page, author=make_reader(), name="A", body="</script><script>alert(1)</script>"
    )
    rate_page(page=article.page, rater=make_reader(), stars=4, ip_hash="")
    html = client.get(article.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bridge reopens <after> repairs"
    assert data["commentCount"] == 1
    assert data["aggregateRating"]["ratingValue"] == 4.0
    assert data["aggregateRating"]["ratingCount"] == 1
    assert "<after>" not in raw


def test_the_index_lists_articles_with_counts_and_ratings(
    client: Client, article: Article, make_reader: Callable
) -> None:  # type: ignore[type-arg]
    post_comment(page=article.page, author=make_reader(), name="A", body="x")
    rate_page(page=article.page, rater=make_reader(), stars=5, ip_hash="")
    html = client.get("/").content.decode()
    assert article.get_absolute_url() in html
    assert "1 comment" in html
    assert "★ 5.0 · 1 vote" in html


def test_the_atom_feed_lists_articles(client: Client, article: Article) -> None:
    response = client.get("/feeds/articles.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"Bridge reopens &lt;after&gt; repairs" in response.content


def test_an_unknown_article_is_404(client: Client, db: None) -> None:
    assert client.get("/articles/nope/").status_code == 404


def test_editing_an_article_keeps_its_discussion_page(article: Article) -> None:
    page_id = article.page_id
    article.headline = "New headline"
    save_article(article)
    article.refresh_from_db()
    assert article.page_id == page_id
    assert article.page.title == "New headline"


def test_the_byline_links_to_the_discussion_with_its_count(
    client: Client, article: Article, make_reader: Callable
) -> None:  # type: ignore[type-arg]
    post_comment(page=article.page, author=make_reader(), name="A", body="x")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="#comments">1 comment</a>' in html
