from html.parser import HTMLParser

import pytest

from rejoinder.comments.markdown import ALLOWED_TAGS, find_forbidden_character, render_markdown


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def test_emphasis_links_quotes_code_and_lists_render() -> None:
    html = render_markdown("*a* **b** [c](https://example.org)\n\n> q\n\n- x\n- y\n\n`<script>`")
    assert "<em>a</em>" in html
    assert "<strong>b</strong>" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener noreferrer">c</a>' in html
    assert "<blockquote>" in html
    assert "<li>x</li>" in html
    assert "<code>&lt;script&gt;</code>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://x" onclick="alert(1)">x</a>',
        "<iframe src=https://evil></iframe>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        "[x](vbscript:msgbox)",
        "<form action=https://evil><button>go</button></form>",
    ],
)
def test_html_and_script_injections_are_neutralised(source: str) -> None:
    html = render_markdown(source)
    for tag, attrs in _elements(html):
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert name in {"href", "rel", "start"}, html
            if name == "href":
                assert (value or "").startswith(("http://", "https://", "mailto:")), html


def test_images_and_headings_are_not_rendered() -> None:
    html = render_markdown("![pic](https://example.org/x.png)\n\n# Big")
    assert "<img" not in html
    assert "<h1" not in html


def test_control_and_bidi_override_characters_are_found() -> None:
    assert find_forbidden_character("ok\ttext\n") is None
    assert find_forbidden_character("a\x00b") == "\x00"
    assert find_forbidden_character("a\u202eb") == "\u202e"
