"""`@name` mentions in a comment's rendered HTML: only known names of the page's commenters,
linked by us to their latest comment there; nothing of the text becomes markup."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from rejoinder.comments.markdown import render_markdown
from rejoinder.comments.mentions import Known, find_mentions, known_names
from rejoinder.comments.models import Commenter, CommentStatus
from rejoinder.comments.posting import edit_comment, post_comment
from rejoinder.pages.models import Page

KNOWN = {
    "ana": Known("Ana", 1, 10),
    "ana lima": Known("Ana Lima", 2, 20),
    'x"><script>alert(1)</script>': Known('x"><script>alert(1)</script>', 3, 30),
}


def _link(comment_id: int, text: str) -> str:
    return (
        f'<a href="{settings.PUBLIC_URL}/c/{comment_id}/" class="rj-mention" '
        f'rel="nofollow ugc noopener noreferrer">{text}</a>'
    )


def test_the_longest_known_name_wins_and_quotes_take_spaces() -> None:
    html = render_markdown('@Ana Lima and @Ana, then @"ana  lima".', KNOWN)
    assert html == (
        f"<p>{_link(20, '@Ana Lima')} and {_link(10, '@Ana')}, then {_link(20, '@Ana Lima')}.</p>"
    )


def test_names_must_end_where_a_word_ends_and_start_after_one() -> None:
    assert render_markdown("@Anastasia mail@Ana @Ana_b @Unknown", KNOWN) == (
        "<p>@Anastasia mail@Ana @Ana_b @Unknown</p>"
    )


def test_no_mention_inside_code_or_an_existing_link() -> None:
    html = render_markdown("`@Ana` [@Ana](https://example.org) *@Ana*", KNOWN)
    assert html.count('class="rj-mention"') == 1
    assert "<code>@Ana</code>" in html
    assert "<em>" + _link(10, "@Ana") + "</em>" in html


def test_a_name_full_of_markup_is_text_in_our_link() -> None:
    html = render_markdown('@x"><script>alert(1)</script> hi', KNOWN)
    assert "<script" not in html
    assert html.startswith(f'<p><a href="{settings.PUBLIC_URL}/c/30/"')
    assert "&lt;script&gt;" in html
    # A mention cannot smuggle attributes or another address: the text is never the link.
    assert find_mentions('@"Ana" onclick="x', KNOWN)[0].known.url.endswith("/c/10/")


def test_posting_links_the_page_commenters_latest_comment(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    ana, bo = make_reader(), make_reader()
    post_comment(page=page, author=ana, name="Ana", body="Early.")
    latest = post_comment(page=page, author=ana, name="Ana", body="Later.")
    held = post_comment(page=page, author=make_reader(), name="Cy", body="Held.")
    held.status = CommentStatus.PENDING
    held.save()
    comment = post_comment(page=page, author=bo, name="Bo", body="@Ana yes, @Cy no.")
    assert comment.body_html == f"<p>{_link(latest.pk, '@Ana')} yes, @Cy no.</p>"
    assert set(known_names(page.pk)) == {"ana", "bo"}
    edited = edit_comment(comment_id=comment.pk, editor=bo, body="@Bo and @ana.")
    assert edited.body_html == f"<p>{_link(comment.pk, '@Bo')} and {_link(latest.pk, '@Ana')}.</p>"


def test_a_body_without_an_at_sign_renders_as_before(page: Page, reader: Commenter) -> None:
    comment = post_comment(page=page, author=reader, name="Ana", body="Plain *text*.")
    assert comment.body_html == "<p>Plain <em>text</em>.</p>"
