"""Loading the sample article and its discussion shown by `rejoinder demo`.

Everything goes through the domain functions (post, vote, rate), as an import would, with the
original times kept. Loading twice changes nothing: an article that exists is left alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.pages import demo_content
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article
from rejoinder.ratings.rating import rate_page

DEMO_FIGURE = "/static/rejoinder/demo-figure.svg"


@dataclass(frozen=True)
class DemoResult:
    article_url: str
    admin_user: str
    admin_password: str


def _new_reader() -> Commenter:
    key = reader_key_from_token(issue_reader_token())
    assert key is not None
    return commenter_for(key)


def _load_article(
    data: Mapping[str, Any],
    comments: Sequence[Mapping[str, Any]],
    ratings: Sequence[int],
    hours_ago: int,
) -> Article:
    published = timezone.now() - timedelta(hours=hours_ago)
    article = Article(
        slug=data["slug"],
        headline=data["headline"],
        standfirst=data["standfirst"],
        author_name=data["author_name"],
        body=data["body"],
        source_line=data.get("source_line", ""),
        figure_url=DEMO_FIGURE if data.get("figure_caption") else "",
        figure_alt=data.get("figure_alt", ""),
        figure_caption=data.get("figure_caption", ""),
        figure_credit=data.get("figure_credit", ""),
        published_at=published,
    )
    save_article(article)
    page = article.page
    voters = [
        _new_reader() for _ in range(max([c["up"] + c["down"] for c in comments] + [len(ratings)]))
    ]
    authors: dict[str, Commenter] = {}
    ids: dict[str, int] = {}
    for c in comments:
        author = authors.setdefault(c["name"], _new_reader())
        posted = post_comment(
            page=page,
            author=author,
            name=c["name"],
            body=c["body"],
            parent_id=ids[c["parent"]] if c["parent"] else None,
            created_at=min(published + timedelta(minutes=c["minutes_after"]), timezone.now()),
            moderated=False,
        )
        ids[c["key"]] = posted.pk
        for n, voter in enumerate(voters[: c["up"] + c["down"]]):
            vote_on_comment(comment_id=posted.pk, voter=voter, value=1 if n < c["up"] else -1)
    for voter, stars in zip(voters, ratings, strict=False):
        rate_page(page=page, rater=voter, stars=stars)
    return article


def load_demo() -> DemoResult:
    """Load the sample articles (once) and (re)set the demo admin's password."""
    main = demo_content.ARTICLE
    with transaction.atomic():
        if not Article.objects.filter(slug=main["slug"]).exists():
            _load_article(main, demo_content.COMMENTS, demo_content.RATINGS, hours_ago=50)
            for n, extra in enumerate(demo_content.MORE_ARTICLES, start=1):
                _load_article(extra, extra["comments"], extra["ratings"], hours_ago=50 + 24 * n)
    password = secrets.token_urlsafe(9)
    user_model = get_user_model()
    admin, _ = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin.set_password(password)
    admin.save()
    article = Article.objects.get(slug=main["slug"])
    return DemoResult(article.get_absolute_url(), "admin", password)
