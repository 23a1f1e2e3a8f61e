"""The box's stylesheet is loaded with every discussion, so it has a size budget."""

import gzip
from pathlib import Path

from django.contrib.staticfiles import finders

# Compressed, as it travels. docs/decisions.md says what it pays for (and why it holds the
# quoted-passage styles the embedded box needs too).
BOX_CSS_BUDGET_BYTES = 4608


def test_the_box_stylesheet_stays_within_its_budget() -> None:
    found = finders.find("rejoinder/discussion.css")
    assert found
    size = len(gzip.compress(Path(found).read_bytes(), compresslevel=9))
    assert size <= BOX_CSS_BUDGET_BYTES, f"discussion.css is {size} bytes gzipped"


def test_the_box_stylesheet_uses_logical_properties_only() -> None:
    found = finders.find("rejoinder/discussion.css")
    assert found
    css = Path(found).read_text()
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", "left:",
                     "right:", "text-align: left", "text-align: right", "float: left", "float: right"):  # fmt: skip
        assert physical not in css
