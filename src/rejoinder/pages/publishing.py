"""Publishing articles: rendering the author's Markdown and keeping the article's Page in step."""

from collections.abc import Callable

import nh3
from django.db import transaction
from markdown_it import MarkdownIt

from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Article, Page

_md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "strikethrough"]
)

ARTICLE_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "del",
    "hr",
    "h2",
    "h3",
    "h4",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


ArticleSaved = Callable[[Article], object]
_article_saved: list[ArticleSaved] = []


def on_article_saved(handler: ArticleSaved) -> None:
    """Call `handler(article)` inside the transaction of every `save_article`.

    Apps that keep data derived from an article's text (revisions, anchored passages) register
    here in their `AppConfig.ready()`, so `pages` needs to know nothing about them. A handler
    that raises rolls the save back.
    """
    if handler not in _article_saved:
        _article_saved.append(handler)


def render_article_markdown(source: str) -> str:
    """Render an article's Markdown; authors are staff, but the output is sanitised all the same."""
    return nh3.clean(
        _md.render(source),
        tags=ARTICLE_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
    )


def save_article(article: Article) -> Article:
    """Render and save an article, creating or updating the Page its discussion hangs on."""
    article.body_html = render_article_markdown(article.body)
    with transaction.atomic():
        uri = article.get_absolute_url()
        if article.page_id is None:
            article.page = Page.objects.create(site=default_site(), uri=uri, title=article.headline)
        else:
            Page.objects.filter(pk=article.page_id).update(uri=uri, title=article.headline)
            article.page.uri, article.page.title = uri, article.headline
            article.page.bump()
        article.save()
        for handler in _article_saved:
            handler(article)
    return article
