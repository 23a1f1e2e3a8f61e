"""A reader downloads their data, deletes their account keeping their comments, and the
discussion then shows those comments under "[deleted]"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.browser.helpers import SeedComments, open_article, post_comment_in_box, posted_item

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article
from rejoinder.privacy.models import ErasureLog

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]


def test_a_reader_downloads_their_data_then_deletes_their_account_keeping_comments(
    tab: Page, article: Article, seed_comments: SeedComments, tmp_path: Path
) -> None:
    seed_comments(1, name="Bruno")
    box = open_article(tab, article)
    post_comment_in_box(box, "Bridges need *cyclists*.", name="Quilla Marsh")
    expect(posted_item(box, "Bridges need cyclists.").locator(".rj-author")).to_have_text(
        "Quilla Marsh"
    )

    tab.reload()
    tab.locator("#comments").get_by_role("link", name="My data").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(tab.locator(".rj-my-data-facts")).to_contain_text("Quilla Marsh")

    with tab.expect_download() as started:
        tab.get_by_role("link", name="Download my data").click()
    saved = tmp_path / "my-data.json"
    started.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert [c["body"] for c in data["comments"]] == ["Bridges need *cyclists*."]
    assert data["comments"][0]["page"]["title"] == article.headline

    tab.get_by_label("Keep the comments as “[deleted]”").check()
    tab.get_by_label("I understand that this cannot be undone.").check()
    tab.get_by_role("button", name="Delete my account").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Your account was deleted")

    tab.get_by_role("link", name="Back to the discussion").click()
    box = tab.locator("#comments")
    mine = box.locator(".rj-comment", has_text="Bridges need cyclists.")
    expect(mine.locator(".rj-author")).to_have_text("[deleted]")
    expect(box).not_to_contain_text("Quilla Marsh")
    expect(box.get_by_role("link", name="My data")).to_have_count(0)
    expect(box.locator(".rj-comment", has_text="Seeded comment number 1.")).to_have_count(1)
    assert ErasureLog.objects.get().comments == "keep"
    assert Comment.objects.filter(author_name="[deleted]").count() == 1
