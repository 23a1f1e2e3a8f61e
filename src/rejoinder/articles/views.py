"""Our own article pages: the index, one article with its discussion, and the Atom feed."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from rejoinder.inline.anchoring import MAX_QUOTE_CHARS
from rejoinder.inline.rendering import render_article_body
from rejoinder.pages.lookup import published_article_page
from rejoinder.pages.models import Article
from rejoinder.web.conditional import revalidated
from rejoinder.widget.box import render_box

FAVICON = Path(__file__).parent / "static" / "rejoinder" / "favicon.ico"
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(is_published=True).select_related("page__site")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """List the latest articles with their comment counts and ratings."""
    return render(request, "pages/index.html", {"articles": published_articles()[:50]})


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Serve the site's icon at /favicon.ico, where browsers and feed readers ask for it."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def article_json_ld(article: Article, url: str) -> SafeString:
    """Return schema.org NewsArticle JSON-LD, escaped for a <script> element."""
    page = article.page
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": {"@type": "Person", "name": article.author_name},
        "mainEntityOfPage": url,
        "commentCount": page.comment_count,
    }
    if article.figure_src:
        data["image"] = settings.PUBLIC_URL + article.figure_src
    if page.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": page.rating_average,
            "ratingCount": page.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    encoded = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))  # noqa: S308 - escaped above


@require_GET
@revalidated(published_article_page)
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an article with its discussion box."""
    article = get_object_or_404(published_articles(), slug=slug)
    url = settings.PUBLIC_URL + article.get_absolute_url()
    context = {
        "article": article,
        "canonical_url": url,
        "json_ld": article_json_ld(article, url),
        "body": render_article_body(article),
        "max_quote": MAX_QUOTE_CHARS,
        "discussion": render_box(request, article.page),
    }
    response = render(request, "pages/article.html", context)
    response["Cache-Control"] = "no-cache"
    return response


class ArticleFeed(Feed):
    title = _("Latest articles")
    link = "/"
    description = _("Articles published here, newest first.")

    def items(self) -> QuerySet[Article]:
        return published_articles()[:30]

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        return item.standfirst

    def item_author_name(self, item: Article) -> str:
        return item.author_name

    def item_pubdate(self, item: Article):  # type: ignore[no-untyped-def]
        return item.published_at

    def item_updateddate(self, item: Article):  # type: ignore[no-untyped-def]
        return item.updated_at


class AtomArticleFeed(ArticleFeed):
    from django.utils.feedgenerator import Atom1Feed

    feed_type = Atom1Feed
    subtitle = ArticleFeed.description
