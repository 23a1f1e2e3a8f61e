"""Form posts an attacker (or a broken client) sends: too large, not UTF-8, markup in a website."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from tests.widget.test_forms_without_js import _csrf, article, browser

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article
from rejoinder.subscriptions.models import Subscription

FRAGMENT = {"X-Rejoinder-Fragment": "1"}
URLENCODED = "application/x-www-form-urlencoded"
__all__ = ["article", "browser"]  # fixtures shared with the other form tests


def _token(client: Client, article: Article) -> str:
    return _csrf(client, article.get_absolute_url())


def _urlencoded(fields: dict[str, bytes | str]) -> bytes:
    """Encode a form body by hand, so that a value can carry bytes that are not UTF-8."""
    return b"&".join(
        quote(name).encode()
        + b"="
        + quote(value if isinstance(value, bytes) else value.encode()).encode()
        for name, value in fields.items()
    )


def _send(
    client: Client,
    article: Article,
    body: bytes,
    content_type: str = URLENCODED,
    *,
    to: str = "comments",
    **headers: str,
) -> Any:
    """POST a hand-made body to one of the page's discussion endpoints."""
    url = f"/discussion/{article.page.pk}/{to}"
    return client.generic("POST", url, body, content_type=content_type, headers=headers)


def test_a_comment_form_past_the_body_limit_explains_the_limit_instead_of_bad_request(
    browser: Client, article: Article
) -> None:
    token = _token(browser, article)
    body = _urlencoded({"csrfmiddlewaretoken": token, "name": "Ana", "body": "x" * 70_000})
    response = _send(
        browser, article, body, Referer=f"http://testserver{article.get_absolute_url()}"
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "too long" in html
    assert "64.0\xa0KB" in html  # the limit
    assert "5000 characters" in html  # the comment limit
    assert f'href="http://testserver{article.get_absolute_url()}"' in html  # the way back
    assert Comment.objects.count() == 0


def test_the_boxs_script_gets_the_same_refusal_as_problem_json(
    browser: Client, article: Article
) -> None:
    token = _token(browser, article)
    body = _urlencoded({"csrfmiddlewaretoken": token, "name": "Ana", "body": "x" * 70_000})
    response = _send(browser, article, body, **FRAGMENT)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert "5000 characters" in response.json()["detail"]


def test_a_refusal_never_links_back_off_site(browser: Client, article: Article) -> None:
    response = _send(browser, article, b"body=" + b"x" * 70_000, Referer="https://evil.example/")
    assert response.status_code == 413
    assert "evil.example" not in response.content.decode()


def test_a_comment_that_is_not_utf8_is_refused_naming_the_field_and_nothing_is_stored(
    browser: Client, article: Article
) -> None:
    token = _token(browser, article)
    body = _urlencoded({"csrfmiddlewaretoken": token, "name": "Ana", "body": b"caf\xe9 au lait"})
    response = _send(browser, article, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "“body”" in html
    assert "UTF-8" in html
    assert Comment.objects.count() == 0


def test_a_name_with_raw_latin1_bytes_is_refused(browser: Client, article: Article) -> None:
    token = _token(browser, article)
    body = f"csrfmiddlewaretoken={token}&body=hello&name=Jos".encode() + b"\xe9"
    response = _send(browser, article, body, **FRAGMENT)
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("name", [b"Ana\x00", b"\x00"])
def test_a_nul_in_a_form_field_is_refused_naming_it_and_nothing_is_stored(
    browser: Client, article: Article, name: bytes
) -> None:
    # PostgreSQL's text type cannot hold NUL: a form must be refused before any query sees it.
    token = _token(browser, article)
    body = _urlencoded({"csrfmiddlewaretoken": token, "name": name, "body": "hello"})
    response = _send(browser, article, body, **FRAGMENT)
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert Comment.objects.count() == 0


def test_a_nul_in_the_moderators_sign_in_form_is_refused(client: Client, db: None) -> None:
    response = client.post("/moderation/sign-in/", {"username": "mod\x00", "password": "pw"})
    assert response.status_code == 400
    assert "“username”" in response.content.decode()


@pytest.mark.parametrize("text", [b"\xff\xfe hi", b"a\x00b"], ids=["not-utf8", "nul"])
def test_a_multipart_post_from_the_script_that_is_not_text_is_refused(
    browser: Client, article: Article, text: bytes
) -> None:
    token = _token(browser, article)
    boundary = "rjboundary"
    parts = [("csrfmiddlewaretoken", token.encode()), ("name", b"Ana"), ("body", text)]
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
            for name, value in parts
        )
        + f"--{boundary}--\r\n".encode()
    )
    response = _send(
        browser, article, body, f"multipart/form-data; boundary={boundary}", **FRAGMENT
    )
    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert Comment.objects.count() == 0


def test_a_valid_multipart_post_from_the_script_still_posts(
    browser: Client, article: Article
) -> None:
    token = _token(browser, article)
    response = browser.post(
        f"/discussion/{article.page.pk}/comments",
        {"csrfmiddlewaretoken": token, "name": "Zoë", "body": "Ça va ✓"},
        headers=FRAGMENT,
    )
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body == "Ça va ✓"


def test_a_subscription_address_that_is_not_utf8_is_refused(
    browser: Client, article: Article
) -> None:
    token = _token(browser, article)
    body = _urlencoded({"csrfmiddlewaretoken": token, "email": b"ana\xc0@example.org"})
    response = _send(browser, article, body, to="subscribe")
    assert response.status_code == 400
    assert "“email”" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_form_in_another_charset_is_refused(browser: Client, article: Article) -> None:
    token = _token(browser, article)
    body = _urlencoded({"csrfmiddlewaretoken": token, "name": "Ana", "body": b"caf\xe9"})
    response = _send(browser, article, body, "application/x-www-form-urlencoded; charset=latin-1")
    assert response.status_code == 415
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "website",
            'https://example.com/"><script>alert(1)</script>',
            "website address cannot contain quotes",
        ),
        ("email", "a" * 65 + "@example.org", "the limit is 64"),
    ],
)
def test_a_bad_website_or_email_is_refused_in_the_form_and_the_text_kept(
    browser: Client, article: Article, field: str, value: str, message: str
) -> None:
    token = _token(browser, article)
    response = browser.post(
        f"/discussion/{article.page.pk}/comments",
        {"csrfmiddlewaretoken": token, "name": "Ana", "body": "My considered view.", field: value},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "My considered view." in html
    assert "<script>alert(1)" not in html
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/discussion/{big}/article",
        "/discussion/{big}/box",
        "/c/{big}/",
        "/discussion/comments/{big}/report",
        "/feeds/pages/{big}/comments.atom",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client: Client, db: None, path: str) -> None:
    response = client.get(path.format(big=2**70))
    assert response.status_code == 404
