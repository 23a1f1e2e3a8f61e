"""Every comment form carries a key of its own, so that a form sent again after a lost answer
(a refresh, "Send again" after an error) gets the first answer back instead of a second comment."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

FORM = re.compile(
    r'<form class="rj-comment-form".*?name="csrfmiddlewaretoken" value="([^"]+)".*?'
    r'name="form_key" value="([^"]+)"',
    re.DOTALL,
)


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="budget", headline="Budget passes", body="Text.", author_name="Ed")
    )


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def _form(browser: Client, article: Article) -> dict[str, str]:
    found = FORM.search(browser.get(article.get_absolute_url()).content.decode())
    assert found, "the page has a comment form with a key"
    return {"csrfmiddlewaretoken": found.group(1), "form_key": found.group(2), "name": "Ana"}


def test_each_form_of_each_answer_has_its_own_key(browser: Client, article: Article) -> None:
    html = browser.get(article.get_absolute_url()).content.decode()
    keys = re.findall(r'name="form_key" value="([^"]+)"', html)
    again = re.findall(
        r'name="form_key" value="([^"]+)"', browser.get(article.get_absolute_url()).content.decode()
    )
    assert "__rj_form_key__" not in html
    assert len(keys) >= 2  # the top form and the reply template
    assert len(set(keys + again)) == len(keys) + len(again)


def test_a_form_sent_twice_makes_one_comment_and_gets_the_first_answer(
    browser: Client, article: Article
) -> None:
    data = {**_form(browser, article), "body": "Sent once, arrived twice?"}
    url = f"/discussion/{article.page.pk}/comments"

    first = browser.post(url, data)
    second = browser.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Comment.objects.filter(body="Sent once, arrived twice?").count() == 1


def test_the_script_sending_a_form_twice_gets_the_same_comment_back(
    browser: Client, article: Article
) -> None:
    data = {**_form(browser, article), "body": "From the script."}
    url = f"/discussion/{article.page.pk}/comments"

    first = browser.post(url, data, HTTP_X_REJOINDER_FRAGMENT="1")
    second = browser.post(url, data, HTTP_X_REJOINDER_FRAGMENT="1")

    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert Comment.objects.filter(body="From the script.").count() == 1


def test_another_text_from_a_kept_form_is_a_new_comment(browser: Client, article: Article) -> None:
    form = _form(browser, article)
    url = f"/discussion/{article.page.pk}/comments"

    browser.post(url, {**form, "body": "First thought."})
    later = browser.post(url, {**form, "body": "Second thought, same old page."})

    assert later.status_code == 302
    assert Comment.objects.filter(page=article.page).count() == 2


def test_a_refused_form_keeps_no_key_and_can_be_corrected(
    browser: Client, article: Article
) -> None:
    form = _form(browser, article)
    url = f"/discussion/{article.page.pk}/comments"

    refused = browser.post(url, {**form, "body": ""})
    corrected = browser.post(url, {**form, "body": "Now with a body."})

    assert refused.status_code == 422
    assert corrected.status_code == 302
    assert Comment.objects.filter(body="Now with a body.").count() == 1
