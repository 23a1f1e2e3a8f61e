"""Fixtures of the moderation tests, and the spam filter's held-out figures in every run's summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import post_comment
from rejoinder.moderation.models import ModeratorRole, SiteModeration, settings_for
from rejoinder.pages.models import Page, Site


@pytest.fixture
def rules(site: Site) -> SiteModeration:
    return settings_for(site)


@pytest.fixture
def moderator(site: Site, django_user_model: Any) -> Any:
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=user, site=site, role="moderator")
    return user


@pytest.fixture
def post(page: Page, make_reader: Callable[[], Commenter]) -> Callable[..., Comment]:
    """Post through the moderated path, as the box and the API do."""

    def _post(body: str = "A fair point about the budget.", **kw: Any) -> Comment:
        author = kw.pop("author", None) or make_reader()
        return post_comment(
            page=kw.pop("page", page), author=author, name=kw.pop("name", "Ana"), body=body, **kw
        )

    return _post


def assert_counts_right(page: Page) -> None:
    """The page's denormalised count equals its published comments."""
    page.refresh_from_db()
    published = Comment.objects.filter(page=page, status=CommentStatus.PUBLISHED).count()
    assert page.comment_count == published


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the built-in spam model's held-out precision and recall after runs that test it."""
    ran = any(
        "test_spam_classifier" in report.nodeid
        for reports in terminalreporter.stats.values()
        for report in reports
        if hasattr(report, "nodeid")
    )
    if not ran:
        return
    from scripts.train_spam_model import report

    from rejoinder.moderation.spam import load_builtin

    terminalreporter.section("spam filter, held-out figures")
    for line in report(load_builtin()):
        terminalreporter.write_line(line)
