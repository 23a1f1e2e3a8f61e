"""Atom feeds of new comments, per page and per site, for readers who prefer feeds to mail."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Page

FEED_SIZE = 50


def _published() -> QuerySet[Comment]:
    return (
        Comment.objects.filter(status=CommentStatus.PUBLISHED)
        .select_related("page")
        .defer("body", "ip_hash")
        .order_by("-created_at", "-id")
    )


class _CommentFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Comment) -> str:
        return _("%(name)s on %(page)s") % {"name": item.author_name, "page": item.page}

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return reverse("widget:permalink", kwargs={"comment_id": item.pk})

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_pubdate(self, item: Comment) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime:
        return item.edited_at or item.created_at


class PageCommentsFeed(_CommentFeed):
    """New comments on one page."""

    def get_object(self, request: HttpRequest, page_id: int) -> Page:  # type: ignore[override]
        return get_object_or_404(Page, pk=page_id)

    def title(self, obj: Page) -> str:
        return _("Comments on %(page)s") % {"page": obj}

    def link(self, obj: Page) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Page) -> QuerySet[Comment]:
        return _published().filter(page=obj)[:FEED_SIZE]


class SiteCommentsFeed(_CommentFeed):
    """New comments on every page of the default site."""

    link = "/"

    def title(self) -> str:
        return _("Latest comments on %(site)s") % {"site": default_site().name}

    def items(self) -> QuerySet[Comment]:
        return _published().filter(page__site=default_site())[:FEED_SIZE]
