"""A site can choose its pages' colours; left empty, the reader's system decides."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from tests.browser.helpers import open_article

from rejoinder.pages.models import Article, Site

pytestmark = pytest.mark.browser

LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(18, 22, 27)"


def _box_background(tab: Page, article: Article, scheme: str) -> str:
    tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    box = open_article(tab, article)
    return box.evaluate("b => getComputedStyle(b).backgroundColor")


@pytest.mark.parametrize(
    ("theme", "scheme", "expected"),
    [
        ("", "light", LIGHT_BG),
        ("", "dark", DARK_BG),
        ("light", "dark", LIGHT_BG),
        ("dark", "light", DARK_BG),
    ],
)
def test_the_sites_colours_win_over_the_readers_system_and_empty_follows_it(
    tab: Page, article: Article, theme: str, scheme: str, expected: str
) -> None:
    Site.objects.update(theme=theme)
    assert _box_background(tab, article, scheme) == expected
