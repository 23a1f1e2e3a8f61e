"""Inline feedback in the box as a reader without JavaScript meets it, and the fragments the
script fetches: paragraph links, the quoted form, posting, highlights, the filter, the panel."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from tests.conftest import ApiClient

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.inline.models import Anchor, Prompt
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.revisions import page_text, pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article, Page
from rejoinder.pages.publishing import save_article

BODY = (
    "The council met on Tuesday to discuss the harbour bridge and its future.\n\n"
    "Repairs will cost **four million** euros, paid over ten years by the port.\n\n"
    "- Cyclists get a lane of their own.\n"
    "- Buses keep their stop by the market.\n"
)


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="bridge", headline="Bridge repairs", body=BODY, author_name="Ed")
    )


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden field {name}"
    return html.unescape(found.group(1))


def _form_fields(page: str) -> dict[str, str]:
    names = ["passage_exact", "passage_prefix", "passage_suffix", "passage_start", "passage_end"]
    return {name: _hidden(page, name) for name in [*names, "prompt"]}


def _comment_on(
    article: Article, passage: str, author: Commenter, body: str = "About this."
) -> Comment:
    text = page_text(article.page)
    assert text is not None
    start = text.index(passage)
    return post_inline_comment(
        page=article.page,
        author=author,
        name="Bo",
        body=body,
        selector=PassageSelector(exact=passage, start=start, end=start + len(passage)),
    )


def test_every_paragraph_has_a_plain_link_that_opens_the_form_with_it_quoted(
    browser: Client, article: Article
) -> None:
    page = browser.get(article.get_absolute_url()).content.decode()
    links = re.findall(r'href="\?passage=(\d+)#comment-form"', page)
    assert links == ["0", "1", "2", "3"]
    assert page.count('Comment<span class="rj-vh"> on this paragraph</span>') == 4

    quoted = browser.get(f"{article.get_absolute_url()}?passage=1").content.decode()
    fields = _form_fields(quoted)
    text = extract_text(article.body_html)
    block = text.blocks[1]
    assert fields["passage_exact"] == text.text[block.start : block.end]
    assert fields["passage_exact"].startswith("Repairs will cost four million euros")
    assert fields["passage_start"] == str(block.start)
    assert fields["passage_end"] == str(block.end)
    assert fields["passage_prefix"].endswith("its future.\n\n")
    assert 'id="comment-form"' in quoted
    assert "Commenting on this passage:" in quoted
    assert 'class="rj-form-quote-cancel" href="/articles/bridge/#comment-form"' in quoted
    assert "data-rj-form-quote hidden" not in quoted


def test_without_a_quote_the_form_carries_empty_passage_fields(
    browser: Client, article: Article
) -> None:
    page = browser.get(f"{article.get_absolute_url()}?passage=99").content.decode()
    assert _form_fields(page) == dict.fromkeys(_form_fields(page), "")
    assert "data-rj-form-quote hidden" in page


def test_posting_with_the_quoted_paragraph_makes_an_inline_comment_shown_everywhere(
    browser: Client, article: Article
) -> None:
    url = article.get_absolute_url()
    quoted = browser.get(f"{url}?passage=2").content.decode()
    data = {
        "csrfmiddlewaretoken": _csrf(browser, url),
        "name": "Ana",
        "body": "What about *scooters*?",
        **_form_fields(quoted),
    }
    response = browser.post(f"/discussion/{article.page.pk}/comments", data)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    anchor = Anchor.objects.get(comment=comment)
    assert anchor.exact == "Cyclists get a lane of their own."
    spot = f"passage-{anchor.current_start}-{anchor.current_end}"

    page = browser.get(response["Location"]).content.decode()
    # The passage is highlighted, with its count, in the article's body...
    mark = re.search(rf'<mark [^>]*id="{spot}"[^>]*>([^<]*)</mark>', page)
    assert mark
    assert mark.group(1) == "Cyclists get a lane of their own."
    assert re.search(rf'<mark [^>]*data-rj-passage="{spot[8:]}"[^>]*data-rj-count="1"', page)
    # ...and the comment shows its quote above its body, linking back to the highlight.
    item = page[page.index(f'id="comment-{comment.pk}"') :]
    assert item.index('class="rj-quoted"') < item.index("<em>scooters</em>")
    assert f'href="#{spot}"' in item
    assert 'Inline Feedbacks (<span class="rj-inline-total">1</span>)' in page


def _filter_tab(page: str, name: str) -> str:
    return re.search(rf'<a [^>]*data-rj-filter="{name}"[^>]*>', page).group(0)  # type: ignore[union-attr]


def test_the_inline_filter_lists_only_inline_comments_with_their_quote(
    browser: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    inline = _comment_on(article, "four million", make_reader(), body="Too much.")
    plain = post_comment(page=article.page, author=make_reader(), name="Cy", body="Nice story.")
    page = browser.get(f"{article.get_absolute_url()}?filter=inline").content.decode()
    assert f'id="comment-{inline.pk}"' in page
    assert f'id="comment-{plain.pk}"' not in page
    assert 'aria-current="true"' in _filter_tab(page, "inline")
    assert 'aria-current="true"' not in _filter_tab(page, "all")
    assert '<blockquote class="rj-quoted" dir="auto">four million</blockquote>' in page
    # Sorting keeps the filter.
    assert "?filter=inline&amp;sort=oldest&amp;page=1#comments" in page

    everything = browser.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{inline.pk}"' in everything
    assert f'id="comment-{plain.pk}"' in everything
    assert 'aria-current="true"' in _filter_tab(everything, "all")


def test_the_inline_filter_pages_with_a_cursor(
    browser: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    site = article.page.site
    site.page_size = 2
    site.save()
    made = [_comment_on(article, word, make_reader()) for word in ["council", "Tuesday", "port"]]
    post_comment(page=article.page, author=make_reader(), name="Cy", body="Plain.")
    page = browser.get(f"{article.get_absolute_url()}?filter=inline").content.decode()
    fragment = html.unescape(re.search(r'data-rj-fragment="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    assert "filter=inline" in fragment
    more = browser.get(fragment).content.decode()
    shown = re.findall(r'id="comment-(\d+)"', page) + re.findall(r'id="comment-(\d+)"', more)
    assert sorted(map(int, shown)) == sorted(c.pk for c in made)


def test_a_quote_that_is_not_in_the_article_is_refused_in_the_page_keeping_the_text(
    browser: Client, article: Article
) -> None:
    url = article.get_absolute_url()
    data = {
        "csrfmiddlewaretoken": _csrf(browser, url),
        "name": "Ana",
        "body": "My thoughts",
        "passage_exact": "words the article never had",
    }
    response = browser.post(f"/discussion/{article.page.pk}/comments", data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "does not occur in the article" in page
    assert "My thoughts" in page
    assert _hidden(page, "passage_exact") == "words the article never had"
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"passage_exact": "council", "passage_start": "x", "passage_end": "3"}, "whole number"),
        ({"passage_exact": "c" * 2001}, "at most 2000"),
    ],
)
def test_a_malformed_passage_is_a_bad_request_explained_in_the_page(
    browser: Client, article: Article, fields: dict[str, str], message: str
) -> None:
    url = article.get_absolute_url()
    data = {"csrfmiddlewaretoken": _csrf(browser, url), "name": "Ana", "body": "Hi", **fields}
    response = browser.post(f"/discussion/{article.page.pk}/comments", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The quoted passage is not valid" in page or "passage" in page
    assert message in page
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("9", "4", "The passage must end after it starts."),
        ("4", "4", "The passage must end after it starts."),
        ("-1", "3", "The passage cannot start before the beginning of the text."),
        ("4", "", "Give both the start and the end of the passage, or neither."),
        ("", "9", "Give both the start and the end of the passage, or neither."),
        ("0", "99999999999999999999", "lies outside the article"),
    ],
)
def test_a_passage_position_the_domain_refuses_is_a_form_error_that_keeps_the_text(
    browser: Client, article: Article, start: str, end: str, message: str
) -> None:
    url = article.get_absolute_url()
    data = {
        "csrfmiddlewaretoken": _csrf(browser, url),
        "name": "Ana",
        "body": "My thoughts on it",
        "passage_exact": "council",
        "passage_start": start,
        "passage_end": end,
    }
    response = browser.post(f"/discussion/{article.page.pk}/comments", data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert message in page
    assert "My thoughts on it" in page
    assert _hidden(page, "passage_exact") == "council"
    scripted = browser.post(
        f"/discussion/{article.page.pk}/comments", data, headers={"X-Rejoinder-Fragment": "1"}
    )
    assert scripted.status_code == 422
    assert scripted.json()["field"] == "passage"
    assert message in scripted.json()["detail"]
    assert Comment.objects.count() == 0


def test_the_script_gets_a_problem_for_a_bad_passage(browser: Client, article: Article) -> None:
    url = article.get_absolute_url()
    data = {
        "csrfmiddlewaretoken": _csrf(browser, url),
        "name": "Ana",
        "body": "Hi",
        "passage_exact": "not there at all",
    }
    response = browser.post(
        f"/discussion/{article.page.pk}/comments", data, headers={"X-Rejoinder-Fragment": "1"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "passage"


def test_a_quote_is_escaped_wherever_it_is_shown(
    browser: Client, make_reader: Callable[[], Commenter]
) -> None:
    article = save_article(
        Article(
            slug="tags",
            headline="Tags",
            body='Write `<script>alert("x")</script>` & "quotes" to test it.',
            author_name="Ed",
        )
    )
    passage = '<script>alert("x")</script> & "quotes"'
    comment = _comment_on(article, passage, make_reader())
    for url in [article.get_absolute_url(), f"{article.get_absolute_url()}?passage=0"]:
        page = browser.get(url).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(" in page
    anchor = Anchor.objects.get(comment=comment)
    panel = browser.get(
        f"/discussion/{article.page.pk}/passage?start={anchor.current_start}&end={anchor.current_end}"
    ).content.decode()
    assert "<script>alert" not in panel
    assert "&lt;script&gt;alert(" in panel


def test_the_article_fragment_has_the_highlights_and_the_inline_count(
    browser: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    _comment_on(article, "four million", make_reader())
    _comment_on(article, "four million", make_reader())
    response = browser.get(f"/discussion/{article.page.pk}/article")
    assert response.status_code == 200
    assert response["X-Rejoinder-Inline-Count"] == "2"
    body = response.content.decode()
    assert re.search(r'<mark [^>]*data-rj-count="2"[^>]*>four million</mark>', body)
    assert browser.get("/discussion/999999/article").status_code == 404


def test_the_passage_panel_lists_the_passage_comments_and_their_replies(
    browser: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    first = _comment_on(article, "four million", make_reader(), body="Expensive.")
    second = _comment_on(article, "four million", make_reader(), body="Cheap, really.")
    other = _comment_on(article, "council", make_reader(), body="Elsewhere.")
    reply = post_comment(
        page=article.page, author=make_reader(), name="Di", body="Agreed.", parent_id=first.pk
    )
    anchor = Anchor.objects.get(comment=first)
    url = f"/discussion/{article.page.pk}/passage?start={anchor.current_start}&end={anchor.current_end}"
    response = browser.get(url)
    assert response.status_code == 200
    panel = response.content.decode()
    assert 'role="dialog"' in panel
    assert "2 comments on this passage" in panel
    for shown in (first, second, reply):
        assert f'id="comment-{shown.pk}"' in panel
    assert f'id="comment-{other.pk}"' not in panel
    assert 'name="csrfmiddlewaretoken"' in panel
    assert "__rj_csrf_token__" not in panel
    assert 'data-rj-exact="four million"' in panel

    assert browser.get(url.replace("start=", "start=1")).status_code == 404
    for bad in ["start=a&end=2", "start=%C2%B2&end=3", "end=2"]:
        assert browser.get(f"/discussion/{article.page.pk}/passage?{bad}").status_code == 400
    for query in ["?passage=%C2%B2", "?prompt=%C2%B2", "?page=%C2%B2", "?reply=%C2%B2"]:
        assert browser.get(f"{article.get_absolute_url()}{query}").status_code == 200


def _prompt(article: Article, block_index: int, question: str) -> Prompt:
    prompt = Prompt(page=article.page, question=question)
    text = extract_text(article.body_html)
    pin_prompt(prompt, text, text.blocks[block_index])
    prompt.save()
    article.page.bump()
    article.page.refresh_from_db()
    return prompt


def test_an_author_prompt_shows_at_its_paragraph_and_is_answered_without_javascript(
    browser: Client, article: Article
) -> None:
    prompt = _prompt(article, 1, "Is this money well spent?")
    url = article.get_absolute_url()
    page = browser.get(url).content.decode()
    paragraph_end = page.index("by the port.</p>")
    shown_at = page.index("Is this money well spent?")
    assert paragraph_end < shown_at < page.index("Cyclists get a lane")
    assert "0 answers" in page
    assert f'href="?prompt={prompt.pk}#comment-form"' in page

    form = browser.get(f"{url}?prompt={prompt.pk}").content.decode()
    assert "Answering the author's question:" in form
    fields = _form_fields(form)
    assert fields["prompt"] == str(prompt.pk)
    data = {"csrfmiddlewaretoken": _csrf(browser, url), "name": "Ana", "body": "Yes.", **fields}
    response = browser.post(f"/discussion/{article.page.pk}/comments", data)
    assert response.status_code == 302
    anchor = Anchor.objects.get()
    assert anchor.prompt_id == prompt.pk
    assert anchor.exact.startswith("Repairs will cost")
    page = browser.get(url).content.decode()
    assert "1 answer<" in page
    assert "Is this money well spent?</q>" in page


def test_edited_and_orphaned_passages_say_so_and_show_the_original(
    browser: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    edited = _comment_on(article, "paid over ten years by the port", make_reader())
    lost = _comment_on(article, "Buses keep their stop by the market.", make_reader())
    article.body = BODY.replace(
        "paid over ten years by the port", "paid over twelve years by the port"
    ).replace("- Buses keep their stop by the market.\n", "")
    save_article(article)
    page = browser.get(article.get_absolute_url()).content.decode()

    edited_item = page[page.index(f'id="comment-{edited.pk}"') :]
    edited_item = edited_item[: edited_item.index("</article>")]
    assert "The passage was edited after this comment." in edited_item
    assert "<summary>The passage as the commenter saw it</summary>" in edited_item
    assert '<mark class="rj-quoted-exact">paid over ten years by the port</mark>' in edited_item

    lost_item = page[page.index(f'id="comment-{lost.pk}"') :]
    lost_item = lost_item[: lost_item.index("</article>")]
    assert "The passage this comment was about is no longer in the article." in lost_item
    assert '<mark class="rj-quoted-exact">Buses keep their stop by the market.</mark>' in lost_item
    assert 'href="#passage-' not in lost_item
    # Only the passage still in the article is highlighted.
    assert len(re.findall(r'<mark [^>]*id="passage-', page)) == 1


def test_on_a_page_whose_text_is_unknown_a_quote_is_kept_without_a_link_to_a_highlight(
    browser: Client, page: Page
) -> None:
    box_url = f"/discussion/{page.pk}/box"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(box_url).content.decode()
    ).group(1)  # type: ignore[union-attr]
    response = browser.post(
        f"/discussion/{page.pk}/comments",
        {
            "csrfmiddlewaretoken": token,
            "name": "Ana",
            "body": "On the host page.",
            "passage_exact": "a sentence of the host page",
            "passage_prefix": "before ",
            "passage_suffix": " after",
        },
    )
    assert response.status_code == 302
    box = browser.get(f"{box_url}?filter=inline").content.decode()
    assert (
        '<blockquote class="rj-quoted" dir="auto">a sentence of the host page</blockquote>' in box
    )
    assert "#passage-" not in box


REPLY_REFUSED = "A reply belongs to the thread of the comment it answers"


@pytest.mark.parametrize("about", ["passage", "prompt"])
def test_a_reply_about_a_passage_is_refused_alike_in_the_form_and_the_api(
    browser: Client, article: Article, make_reader: Callable[[], Commenter], about: str
) -> None:
    top = post_comment(page=article.page, author=make_reader(), name="Cy", body="Top.")
    if about == "passage":
        form_fields = {"passage_exact": "council"}
        api_fields: dict[str, object] = {"passage": {"exact": "council"}}
    else:
        prompt = _prompt(article, 0, "Why Tuesday?")
        form_fields = {"prompt": str(prompt.pk)}
        api_fields = {"prompt_id": prompt.pk}
    url = article.get_absolute_url()
    data = {
        "csrfmiddlewaretoken": _csrf(browser, url),
        "name": "Ana",
        "body": "My reply text",
        "parent": str(top.pk),
        **form_fields,
    }

    response = browser.post(f"/discussion/{article.page.pk}/comments", data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert REPLY_REFUSED in page
    assert "My reply text" in page
    # The form offered again is the plain reply, without the passage.
    assert f'<input type="hidden" name="parent" value="{top.pk}">' in page
    assert 'name="passage_exact"' not in page
    scripted = browser.post(
        f"/discussion/{article.page.pk}/comments", data, headers={"X-Rejoinder-Fragment": "1"}
    )
    assert scripted.status_code == 422
    assert scripted.json()["field"] == "parent"

    api = ApiClient()
    answer = api.post_comment(article.page.uri, "My reply text", parent=top.pk, **api_fields)
    assert answer.status_code == 422
    assert (answer.json()["field"], answer.json()["detail"]) == (
        "parent",
        scripted.json()["detail"],
    )
    assert list(Comment.objects.values_list("pk", flat=True)) == [top.pk]
    assert not Anchor.objects.exists()
