"""The discussion box as a reader without JavaScript uses it: plain forms and redirects."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from rejoinder.comments.models import Comment, CommentStatus, Vote
from rejoinder.pages.models import Article, Page, Site
from rejoinder.pages.publishing import save_article
from rejoinder.ratings.models import Rating


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="budget", headline="Budget passes", body="Text.", author_name="Ed")
    )


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _post_comment(client: Client, article: Article, body: str = "Hello", **extra: str) -> object:
    url = article.get_absolute_url()
    data = {"csrfmiddlewaretoken": _csrf(client, url), "name": "Ana", "body": body, **extra}
    return client.post(f"/discussion/{article.page.pk}/comments", data)


def test_the_article_page_shows_the_box_with_rating_form_and_counts(
    browser: Client, article: Article
) -> None:
    html = browser.get(article.get_absolute_url()).content.decode()
    assert "Budget passes" in html
    assert "No votes yet" in html
    assert 'class="rj-comment-total">0<' in html
    assert f'action="/discussion/{article.page.pk}/comments"' in html
    assert "No comments yet" in html


def test_posting_redirects_to_the_new_comment_and_sets_the_reader_cookie(
    browser: Client, article: Article
) -> None:
    response = _post_comment(browser, article, "First *post*")
    comment = Comment.objects.get()
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].endswith(f"#comment-{comment.pk}")  # type: ignore[index]
    assert "rj_reader" in browser.cookies
    html = browser.get(response["Location"]).content.decode()  # type: ignore[index]
    assert "<em>post</em>" in html
    assert f'href="/discussion/comments/{comment.pk}/edit"' in html


def test_a_form_without_the_csrf_token_is_refused(browser: Client, article: Article) -> None:
    response = browser.post(f"/discussion/{article.page.pk}/comments", {"name": "A", "body": "x"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_failed_post_explains_why_and_keeps_the_text(browser: Client, article: Article) -> None:
    response = _post_comment(browser, article, "x" * 5001)
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "5001" in html
    assert "5000" in html
    assert "x" * 5001 in html
    assert Comment.objects.count() == 0


def test_html_in_bodies_is_shown_as_text_and_refused_in_names(
    browser: Client, article: Article
) -> None:
    refused = _post_comment(browser, article, "Hi", name='"><img src=x onerror=alert(1)>')
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "cannot contain" in refused.content.decode()  # type: ignore[attr-defined]
    _post_comment(browser, article, "<script>alert(1)</script> & <b>bold</b>", name="Ana")
    html = browser.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html


def test_replying_through_the_reply_link(
    browser: Client, article: Article, make_reader: Callable
) -> None:  # type: ignore[type-arg]
    _post_comment(browser, article, "Top")
    top = Comment.objects.get()
    html = browser.get(f"{article.get_absolute_url()}?reply={top.pk}").content.decode()
    assert f'id="reply-{top.pk}"' in html
    assert f'name="parent" value="{top.pk}"' in html
    response = _post_comment(browser, article, "A reply", parent=str(top.pk))
    reply = Comment.objects.get(parent=top)
    assert response["Location"].endswith(f"#comment-{reply.pk}")  # type: ignore[index]


def test_voting_and_rating_with_plain_forms(
    browser: Client, article: Article, make_reader: Callable
) -> None:  # type: ignore[type-arg]
    from rejoinder.comments.posting import post_comment

    comment = post_comment(page=article.page, author=make_reader(), name="Bo", body="Vote me")
    token = _csrf(browser, article.get_absolute_url())
    vote = browser.post(
        f"/discussion/comments/{comment.pk}/vote", {"csrfmiddlewaretoken": token, "value": "1"}
    )
    assert vote.status_code == 302
    assert Vote.objects.get().value == 1
    rate = browser.post(
        f"/discussion/{article.page.pk}/rating", {"csrfmiddlewaretoken": token, "stars": "4"}
    )
    assert rate.status_code == 302
    assert Rating.objects.get().stars == 4
    html = browser.get(article.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in html
    assert "1 vote" in html
    assert 'value="4" checked' in html


def test_the_author_edits_and_deletes_through_pages(browser: Client, article: Article) -> None:
    _post_comment(browser, article, "Original")
    comment = Comment.objects.get()
    edit_page = browser.get(f"/discussion/comments/{comment.pk}/edit").content.decode()
    assert "Original" in edit_page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', edit_page).group(1)  # type: ignore[union-attr]
    browser.post(
        f"/discussion/comments/{comment.pk}/edit", {"csrfmiddlewaretoken": token, "body": "Changed"}
    )
    comment.refresh_from_db()
    assert comment.body == "Changed"
    html = browser.get(article.get_absolute_url()).content.decode()
    assert "edited" in html
    assert (
        "Delete your comment?"
        in browser.get(f"/discussion/comments/{comment.pk}/delete").content.decode()
    )
    browser.post(f"/discussion/comments/{comment.pk}/delete", {"csrfmiddlewaretoken": token})
    assert not Comment.objects.exists()


def test_another_reader_gets_no_edit_controls_and_is_refused(
    browser: Client, article: Article
) -> None:
    _post_comment(browser, article, "Mine")
    comment = Comment.objects.get()
    stranger = Client()
    html = stranger.get(article.get_absolute_url()).content.decode()
    assert f"/discussion/comments/{comment.pk}/edit" not in html
    assert stranger.get(f"/discussion/comments/{comment.pk}/edit").status_code == 403
    assert stranger.post(f"/discussion/comments/{comment.pk}/delete").status_code == 403
    assert Comment.objects.filter(pk=comment.pk, status=CommentStatus.PUBLISHED).exists()


def test_paging_links_and_permalinks_open_the_right_page(
    browser: Client,
    article: Article,
    site: Site,
    make_reader: Callable,  # type: ignore[type-arg]
) -> None:
    from rejoinder.comments.posting import post_comment

    Site.objects.filter(pk=site.pk).update(page_size=2)
    ids = [
        post_comment(
            page=article.page, author=make_reader(), name=f"R{n}", body=f"Comment number {n}"
        ).pk
        for n in range(5)
    ]
    first = browser.get(article.get_absolute_url()).content.decode()
    assert "Load more comments" in first
    assert "page=2" in first
    oldest = ids[0]  # newest first: the oldest sits on page 3
    response = browser.get(f"/c/{oldest}/")
    assert response.status_code == 302
    assert "page=3" in response["Location"]
    assert response["Location"].endswith(f"#comment-{oldest}")
    assert f'id="comment-{oldest}"' in browser.get(response["Location"]).content.decode()


def test_the_fragment_endpoints_serve_the_thread_for_load_more(
    browser: Client, article: Article, page: Page
) -> None:
    _post_comment(browser, article, "In a fragment")
    html = browser.get(f"/discussion/{article.page.pk}/thread?page=1").content.decode()
    assert html.startswith('<ol class="rj-thread"')
    assert "In a fragment" in html


def test_the_cached_thread_carries_each_readers_own_csrf_token(article: Article) -> None:
    first, second = Client(), Client()
    _post_comment(Client(enforce_csrf_checks=True), article, "Cached")
    tokens = []
    for client in (first, second):
        html = client.get(article.get_absolute_url()).content.decode()
        tokens.append(set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)))
    assert "__rj_csrf_token__" not in str(tokens)
    assert tokens[0].isdisjoint(tokens[1])


@pytest.mark.parametrize("threads", [3, 30])
def test_the_article_page_takes_the_same_queries_whatever_the_thread_size(
    article: Article,
    make_reader: Callable,
    threads: int,
    django_assert_max_num_queries,  # type: ignore[type-arg]
) -> None:  # type: ignore[no-untyped-def]
    from rejoinder.comments.posting import post_comment

    for n in range(threads):
        top = post_comment(page=article.page, author=make_reader(), name=f"R{n}", body="Top")
        post_comment(
            page=article.page, author=make_reader(), name="S", body="Reply", parent_id=top.pk
        )
    reader = Client()
    # The page and its newest comment's time (the ETag's, once per version), the article, the
    # highlighted passages, the prompts, the inline count, the thread (2) and its comments'
    # passages, the site's language (once per article and hour) and whether it offers signing in
    # by email (once per site and five minutes): constant whatever the size.
    with django_assert_max_num_queries(11):
        assert reader.get(article.get_absolute_url()).status_code == 200


def test_a_bad_load_more_cursor_is_a_clear_error(browser: Client, article: Article) -> None:
    response = browser.get(f"/discussion/{article.page.pk}/thread?after=garbage")
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]
    assert browser.get(f"{article.get_absolute_url()}?after=garbage").status_code == 200


def test_the_edit_page_says_when_the_window_has_closed(browser: Client, article: Article) -> None:
    from datetime import timedelta

    from django.utils import timezone

    _post_comment(browser, article, "Old news")
    Comment.objects.update(created_at=timezone.now() - timedelta(hours=1))
    comment = Comment.objects.get()
    response = browser.get(f"/discussion/comments/{comment.pk}/edit")
    assert response.status_code == 403
    assert "15 minutes" in response.content.decode()


def test_an_empty_post_names_every_refused_field_for_the_script(
    browser: Client, article: Article
) -> None:
    url = article.get_absolute_url()
    response = browser.post(
        f"/discussion/{article.page.pk}/comments",
        {"csrfmiddlewaretoken": _csrf(browser, url), "name": "", "body": ""},
        headers={"X-Rejoinder-Fragment": "1"},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"] == [
        {"field": "name", "detail": "Please give a name to show with your comment."},
        {"field": "body", "detail": "Write something before posting."},
    ]
    assert (problem["field"], problem["detail"]) == ("name", problem["errors"][0]["detail"])


def test_an_empty_post_without_js_marks_every_field_and_focuses_the_first(
    browser: Client, article: Article
) -> None:
    response = _post_comment(browser, article, "", name="")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = re.search(r"<textarea [^>]*>", html).group(0)  # type: ignore[union-attr]
    name = re.search(r'<input id="rj-form-retry-name"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'aria-invalid="true"' in body
    assert " autofocus" in body
    assert 'aria-describedby="rj-form-retry-body-error ' in body
    assert 'aria-invalid="true"' in name
    assert 'aria-describedby="rj-form-retry-name-error"' in name
    assert "autofocus" not in name
    assert re.search(r'id="rj-form-retry-name-error">Please give a name', html)
    assert re.search(r'id="rj-form-retry-body-error">Write something before posting', html)
    assert "maxlength" not in body  # long text is refused with a message, never cut


def test_the_posted_message_after_a_redirect_is_for_the_author_only(
    browser: Client, article: Article
) -> None:
    location = _post_comment(browser, article, "First!")["Location"]  # type: ignore[index]
    comment = Comment.objects.get()
    assert f"posted={comment.pk}#comment-{comment.pk}" in location

    mine = browser.get(location).content.decode()
    theirs = Client().get(location).content.decode()

    status = r'<div class="rj-status" role="status" aria-live="polite">([^<]*)</div>'
    assert re.search(status, mine).group(1) == "Your comment was posted."  # type: ignore[union-attr]
    assert re.search(status, theirs).group(1) == ""  # type: ignore[union-attr]


def test_a_reply_form_without_js_offers_to_cancel_back_to_the_comment(
    browser: Client, article: Article
) -> None:
    _post_comment(browser, article, "Top")
    top = Comment.objects.get()
    html = browser.get(f"{article.get_absolute_url()}?reply={top.pk}").content.decode()

    assert re.search(
        rf'<a class="rj-button rj-reply-cancel" href="{re.escape(article.get_absolute_url())}'
        rf'\?sort=newest&amp;page=1#comment-{top.pk}"',
        html,
    )
