"""The demo: one command shows a lively discussion, inline feedback and a moderation queue."""

from __future__ import annotations

from django.test import Client

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.demo.loading import load_demo
from rejoinder.inline.models import Anchor
from rejoinder.moderation.queues import queue_counts
from rejoinder.pages.models import Article


def test_the_demo_loads_once_with_a_lively_discussion(db: None) -> None:
    result = load_demo()
    again = load_demo()
    main = Article.objects.get(slug="riverside-car-park-vote")
    published = Comment.objects.filter(page=main.page, status=CommentStatus.PUBLISHED)
    assert result.article_url == again.article_url == main.get_absolute_url()
    assert main.page.comment_count == published.count() >= 35
    assert published.filter(depth=3).exists()
    assert main.page.rating_count == 20
    assert result.admin_password != again.admin_password


def test_the_demo_article_has_highlighted_passages_and_an_answered_question(
    db: None, client: Client
) -> None:
    load_demo()
    main = Article.objects.get(slug="riverside-car-park-vote")
    anchors = Anchor.objects.filter(page=main.page)
    assert anchors.filter(prompt__isnull=True).count() == 3
    assert anchors.filter(prompt__question__startswith="Would you use").count() == 2
    assert not anchors.filter(found_by="orphaned").exists()

    html = client.get(main.get_absolute_url()).content.decode()
    assert "designed to hold floodwater safely</mark>" in html
    assert "Would you use a Saturday shuttle from Station Road?" in html
    assert 'Inline Feedbacks (<span class="rj-inline-total">5</span>)' in html


def test_the_demo_gives_moderators_a_queue_to_work(db: None) -> None:
    load_demo()
    site = Article.objects.get(slug="riverside-car-park-vote").page.site
    counts = queue_counts(site)
    assert (counts["pending"], counts["spam"], counts["flagged"]) == (2, 1, 1)
