"""Loading the sample article and its discussion shown by `rejoinder demo`.

Everything goes through the domain functions (post, vote, rate), as an import would, with the
original times kept. Loading twice changes nothing: an article that exists is left alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import change_status, post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.demo.content import DemoContent, load_content
from rejoinder.inline.models import Prompt
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.revisions import pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.moderation.flags import flag_comment
from rejoinder.moderation.learning import site_model
from rejoinder.pages.lookup import default_site, ensure_page
from rejoinder.pages.models import Article, Page
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
) -> tuple[Article, dict[str, int]]:
    """Publish an article with its discussion and ratings; return it and its comments' ids by key."""
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
            created_at=_at(article, c["minutes_after"]),
            moderated=False,
        )
        ids[c["key"]] = posted.pk
        for n, voter in enumerate(voters[: c["up"] + c["down"]]):
            vote_on_comment(
                comment_id=posted.pk,
                voter=voter,
                value=1 if n < c["up"] else -1,
                ip_hash="",
                limited=False,
            )
    for voter, stars in zip(voters, ratings, strict=False):
        rate_page(page=page, rater=voter, stars=stars, ip_hash="", limited=False)
    return article, ids


def _at(article: Article, minutes_after: int) -> datetime:
    return min(article.published_at + timedelta(minutes=minutes_after), timezone.now())


def _load_inline_feedback(article: Article, content: DemoContent) -> None:
    """Comments on passages of the article, and the author's question with its answers."""
    page = article.page
    voters = [_new_reader() for _ in range(max(c["up"] for c in content.inline_comments))]
    for c in content.inline_comments:
        comment = post_inline_comment(
            page=page,
            author=_new_reader(),
            name=c["name"],
            body=c["body"],
            selector=PassageSelector(exact=c["quote"]),
            created_at=_at(article, c["minutes_after"]),
            moderated=False,
        )
        for voter in voters[: c["up"]]:
            vote_on_comment(comment_id=comment.pk, voter=voter, value=1, ip_hash="", limited=False)
    text = extract_text(article.body_html)
    for p in content.prompts:
        block = next(
            b for b in text.blocks if text.text[b.start : b.end].startswith(p["paragraph_starts"])
        )
        prompt = Prompt(page=page, question=p["question"])
        pin_prompt(prompt, text, block)
        prompt.save()
        for answer in p["answers"]:
            post_inline_comment(
                page=page,
                author=_new_reader(),
                name=answer["name"],
                body=answer["body"],
                prompt_id=prompt.pk,
                created_at=_at(article, answer["minutes_after"]),
                moderated=False,
            )


_HELD_REASONS = {
    "first_time": ("first_time", "First comment by this commenter."),
    "links": ("links", "Contains 2 link(s)."),
}


def _load_moderation_queue(
    article: Article, content: DemoContent, comment_ids: Mapping[str, int]
) -> None:
    """Comments waiting in the moderation queues, and one reported by a reader."""
    page = article.page
    for c in content.held_comments:
        comment = post_comment(
            page=page,
            author=_new_reader(),
            name=c["name"],
            body=c["body"],
            created_at=_at(article, c["minutes_after"]),
            moderated=False,
        )
        comment = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
        if c["why"] == "spam":
            score = site_model(page.site_id).score(c["body"])
            reason = ("spam", f"Spam score {score:.2f} is over the site's threshold.")
            Comment.objects.filter(pk=comment.pk).update(spam_score=score)
        else:
            reason = _HELD_REASONS[c["why"]]
        change_status(
            comment,
            CommentStatus.PENDING,
            suspected_spam=c["why"] == "spam",
            moderation_reasons=[{"code": reason[0], "text": reason[1]}],
        )
    flag_comment(
        comment_id=comment_ids[content.flagged_comment],
        reader=_new_reader(),
        ip_hash="demo-reader",
        reason="off-topic",
        note="Argues with the article rather than the plan.",
    )


# The sample publisher's pages, and the discussion one of them already has.
PUBLISHER_PAGE = "/news/harbour-ferry.html"
PUBLISHER_COMMENTS = (
    ("Marta", "Finally. The last bus leaves the quay before my shift ends."),
    ("Jonas", "Six votes to three for a trial: what happens if the numbers are low?"),
)


def load_publisher_demo(origin: str) -> str:
    """Let the sample publisher at `origin` embed the default site's discussions, and give one
    of its pages a discussion already (its other page gets one on its first comment).

    The publisher signs its readers in to the box (single sign-on, HS256): its sign-in and
    sign-out pages are the site's, and the site's secret is returned for its server to mint
    tokens with.
    """
    site = default_site()
    if origin not in site.origins():
        site.allowed_origins = "\n".join([*site.origins(), origin])
    site.login_url, site.logout_url = f"{origin}/sign-in", f"{origin}/sign-out"
    site.save(update_fields=["allowed_origins", "login_url", "logout_url"])
    secret = site.sso_secret if site.sso_algorithm == "HS256" else ""
    secret = secret or site.rotate_sso_secret()
    if Page.objects.filter(site=site, uri=PUBLISHER_PAGE).exists():
        return secret
    page = ensure_page(
        site,
        PUBLISHER_PAGE,
        title="The night ferry returns to the harbour",
        url=origin + PUBLISHER_PAGE,
    )
    for name, body in PUBLISHER_COMMENTS:
        post_comment(page=page, author=_new_reader(), name=name, body=body, moderated=False)
    rate_page(page=page, rater=_new_reader(), stars=4, ip_hash="", limited=False)
    return secret


def load_demo() -> DemoResult:
    """Load the sample articles (once) and (re)set the demo admin's password."""
    content = load_content()
    main = content.article
    with transaction.atomic():
        if not Article.objects.filter(slug=main["slug"]).exists():
            article, comment_ids = _load_article(
                main, content.comments, content.ratings, hours_ago=50
            )
            _load_inline_feedback(article, content)
            _load_moderation_queue(article, content, comment_ids)
            for n, extra in enumerate(content.more_articles, start=1):
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
