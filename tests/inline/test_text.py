"""The plain text of article HTML, and the same HTML annotated with blocks and marks."""

from __future__ import annotations

import random
import re

import pytest

from rejoinder.demo.content import load_content
from rejoinder.inline.text import ArticleText, Block, Span, annotate, extract_text
from rejoinder.pages.publishing import render_article_markdown


def marked(html: str) -> list[str]:
    """Return the text inside each innermost <mark> of the HTML, in order."""
    return [
        re.sub(r"<[^>]+>", "", piece) for piece in re.findall(r"<mark[^>]*>([^<]*)</mark>", html)
    ]


def block_texts(article: ArticleText) -> list[str]:
    return [article.text[b.start : b.end] for b in article.blocks]


@pytest.fixture(scope="module")
def demo_html() -> str:
    return render_article_markdown(load_content().article["body"])


def test_paragraphs_are_joined_by_a_blank_line_with_whitespace_collapsed() -> None:
    article = extract_text("<p>  One\n  two\tthree </p>\n<p>Four</p>")
    assert article.text == "One two three\n\nFour"
    assert article.blocks == (Block(0, 0, 13), Block(1, 15, 19))


def test_nested_inline_tags_and_entities_read_as_their_text() -> None:
    article = extract_text(
        "<p>The <strong>bridge <em>re</em>opens</strong> &amp; traffic &lt;returns&gt; "
        "at 9&nbsp;am<br>on Monday.</p>"
    )
    assert article.text == "The bridge reopens & traffic <returns> at 9\xa0am on Monday."


def test_lists_headings_quotes_code_and_tables_each_give_blocks() -> None:
    html = render_article_markdown(
        "## Heading\n\n- one\n- two\n\n> quoted\n> text\n\n```\ncode  here\n\n  indented\n```\n\n"
        "| a | b |\n|---|---|\n| c | d |\n"
    )
    article = extract_text(html)
    assert block_texts(article) == [
        "Heading",
        "one",
        "two",
        "quoted text",
        "code  here\n\n  indented",
        "a",
        "b",
        "c",
        "d",
    ]


def test_a_nested_list_is_its_own_block_and_splits_its_parent_item_with_a_space() -> None:
    article = extract_text("<ul><li>outer<ul><li>inner</li></ul>after</li></ul>")
    assert block_texts(article) == ["outer after", "inner"]


def test_a_paragraph_inside_a_list_item_is_the_block_and_the_empty_item_is_left_out() -> None:
    article = extract_text("<ol><li>\n<p>loose item</p>\n</li></ol><p> </p><hr>")
    assert block_texts(article) == ["loose item"]
    assert article.blocks[0].index == 0


def test_text_outside_every_block_is_not_part_of_the_text() -> None:
    assert extract_text("stray <p>kept</p> words").text == "kept"


def test_elements_marked_skip_and_all_inside_them_are_not_text() -> None:
    shown = (
        "<ul><li>Cyclists get a lane."
        '<span class="rj-para-tools" data-rj-skip><a href="#">Comment<span> on it</span></a>'
        "<br><p>not a block</p></span></li>"
        "<li>Buses <b>keep</b> their stop.<img data-rj-skip alt=x> Always.</li></ul>"
    )
    assert extract_text(shown).text == "Cyclists get a lane.\n\nBuses keep their stop. Always."
    assert [(b.start, b.end) for b in extract_text(shown).blocks] == [(0, 20), (22, 52)]


def test_block_at_finds_the_block_of_an_offset_and_none_between_blocks() -> None:
    article = extract_text("<p>ab</p><p>cd</p>")
    assert article.block_at(0) == article.blocks[0]
    assert article.block_at(2) is None
    assert article.block_at(4) == article.blocks[1]
    assert article.block_at(99) is None


def test_every_block_gets_its_index_and_start_and_the_callers_attributes() -> None:
    html = annotate(
        "<h2>Title</h2><p>Body <em>text</em></p>",
        [],
        block_attrs=lambda block: {"data-x": f'"{block.index}"'},
    )
    assert html == (
        '<h2 data-rj-block="0" data-rj-start="0" data-x="&quot;0&quot;">Title</h2>'
        '<p data-rj-block="1" data-rj-start="7" data-x="&quot;1&quot;">Body <em>text</em></p>'
    )


def test_a_span_across_elements_and_blocks_is_split_into_one_mark_per_text_node() -> None:
    source = "<p>Alpha <em>beta</em> gamma</p><p>delta epsilon</p>"
    text = extract_text(source).text
    start, end = text.index("ha be"), text.index("delta") + 3
    html = annotate(source, [Span(start, end, {"class": "rj-passage"})])
    assert marked(html) == ["ha ", "beta", " gamma", "del"]
    assert '<mark class="rj-passage">beta</mark>' in html
    assert extract_text(html).text == text


def test_overlapping_spans_nest_in_the_order_given_over_their_shared_text() -> None:
    source = "<p>one two three</p>"
    html = annotate(source, [Span(0, 7, {"id": "a"}), Span(4, 13, {"id": "b"})])
    assert html == (
        '<p data-rj-block="0" data-rj-start="0"><mark id="a">one </mark>'
        '<mark id="a"><mark id="b">two</mark></mark><mark id="b"> three</mark></p>'
    )


def test_mark_attribute_values_and_text_are_escaped() -> None:
    html = annotate("<p>a &lt;b&gt; &amp; c</p>", [Span(0, 9, {"title": '"><script>'})])
    assert "<script>" not in html
    assert 'title="&quot;&gt;&lt;script&gt;"' in html
    assert "&lt;b&gt; &amp; c" in html


def test_collapsed_whitespace_between_text_nodes_is_marked_with_its_neighbours() -> None:
    source = "<p>word\n   <em>next</em>\n</p>"
    text = extract_text(source).text
    assert text == "word next"
    html = annotate(source, [Span(2, 7)])
    assert marked(html) == ["rd\n   ", "ne"]
    assert extract_text(html) == extract_text(source)


def test_the_demo_article_annotated_with_many_spans_extracts_to_the_same_text(
    demo_html: str,
) -> None:
    original = extract_text(demo_html)
    rng = random.Random(7)
    length = len(original.text)
    for _round in range(30):
        spans = []
        for _n in range(rng.randint(1, 12)):
            start = rng.randrange(length)
            spans.append(Span(start, min(length, start + rng.randint(1, 400)), {"class": "m"}))
        html = annotate(demo_html, spans, block_attrs=lambda b: {"data-n": str(b.index)})
        assert extract_text(html) == original


def test_every_block_of_the_demo_article_is_numbered_once_in_order(demo_html: str) -> None:
    original = extract_text(demo_html)
    html = annotate(demo_html, [])
    numbered = re.findall(r'data-rj-block="(\d+)" data-rj-start="(\d+)"', html)
    assert [(int(i), int(s)) for i, s in numbered] == [(b.index, b.start) for b in original.blocks]


def test_each_span_of_the_demo_article_marks_exactly_its_text(demo_html: str) -> None:
    original = extract_text(demo_html)
    rng = random.Random(11)
    for _round in range(40):
        start = rng.randrange(len(original.text) - 1)
        end = min(len(original.text), start + rng.randint(1, 300))
        html = annotate(demo_html, [Span(start, end)])
        # Marks keep the raw whitespace of the HTML; the plain text collapses it.
        joined = re.sub(r"[ \t\n\r\f]+", " ", "".join(marked(html)))
        expected = re.sub(r"\s+", " ", original.text[start:end])
        # A span over a block boundary marks both blocks' text, not the blank line between.
        assert joined.replace(" ", "") == expected.replace(" ", "")


def test_the_demo_article_has_its_paragraphs_list_items_and_quote_as_blocks(
    demo_html: str,
) -> None:
    article = extract_text(demo_html)
    texts = block_texts(article)
    assert texts[0].startswith("Eastbridge")
    assert "What the plan includes" in texts
    assert any(t.startswith("86 homes, 30 of them") for t in texts)
    assert any(t.startswith('"We have nearly five acres') for t in texts)
    assert "\n" not in "".join(texts)
    assert article.text == "\n\n".join(texts)
