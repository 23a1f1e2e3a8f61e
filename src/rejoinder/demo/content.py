"""The demo's sample content, read from the data files beside this module.

`data/content.json` holds one local-news article with a lively discussion, two shorter articles
with a few comments each, the main article's inline comments and author question, the comments
waiting in the moderation queue and the key of the comment a reader reports. Each article's
body is Markdown in `data/<slug>.md`. Eastbridge, its council, its businesses and every person
named there are fictional.

Comments are listed in the order they were posted. Each names its parent by `key` (null for a
top-level comment), and `minutes_after` counts from the article's publication, so the
discussion spreads over about two days. Replies nest at most three levels below a top-level
comment, matching the default `Site.max_reply_depth`. Standard library only: the content can be
read without Django being configured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypedDict, cast


class DemoArticle(TypedDict):
    slug: str
    headline: str
    standfirst: str
    author_name: str
    source_line: str
    figure_caption: str
    figure_credit: str
    figure_alt: str
    body: str


class DemoComment(TypedDict):
    key: str
    parent: str | None
    name: str
    minutes_after: int
    body: str
    up: int
    down: int


class DemoArticleWithDiscussion(DemoArticle):
    comments: list[DemoComment]
    ratings: list[int]


class DemoInlineComment(TypedDict):
    name: str
    minutes_after: int
    quote: str
    body: str
    up: int


class DemoPrompt(TypedDict):
    paragraph_starts: str
    question: str
    answers: list[DemoComment]


class DemoHeldComment(TypedDict):
    name: str
    minutes_after: int
    body: str
    why: str  # "first_time", "links" or "spam": the queue it waits in


@dataclass(frozen=True)
class DemoContent:
    article: DemoArticle
    comments: list[DemoComment]
    ratings: list[int]
    inline_comments: list[DemoInlineComment]
    prompts: list[DemoPrompt]
    held_comments: list[DemoHeldComment]
    flagged_comment: str  # the key, in `comments`, of the comment a reader reports
    more_articles: list[DemoArticleWithDiscussion]


_DATA = resources.files(__package__) / "data"


def _with_body(article: dict[str, Any]) -> dict[str, Any]:
    return {**article, "body": (_DATA / f"{article['slug']}.md").read_text(encoding="utf-8")}


@cache
def load_content() -> DemoContent:
    """Read the demo content (once per process; callers must not change it)."""
    data = json.loads((_DATA / "content.json").read_text(encoding="utf-8"))
    return DemoContent(
        article=cast(DemoArticle, _with_body(data["article"])),
        comments=data["comments"],
        ratings=data["ratings"],
        inline_comments=data["inline_comments"],
        prompts=data["prompts"],
        held_comments=data["held_comments"],
        flagged_comment=data["flagged_comment"],
        more_articles=[
            cast(DemoArticleWithDiscussion, _with_body(article))
            for article in data["more_articles"]
        ],
    )
