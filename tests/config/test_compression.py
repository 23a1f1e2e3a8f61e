"""HTML and JSON travel compressed; the CSRF token never repeats; staff pages stay uncompressed."""

import gzip
import re

from django.contrib.auth.models import User
from django.test import Client

from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _article(db: None) -> Article:
    return save_article(
        Article(slug="compressed", headline="A long read", body="A paragraph of news.\n\n" * 200)
    )


def test_article_pages_are_compressed_for_browsers_that_accept_gzip(db: None) -> None:
    url = _article(db).get_absolute_url()
    plain = Client().get(url)
    packed = Client().get(url, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "A long read" in html
    assert len(packed.content) * 4 < len(plain.content)


def test_the_csrf_token_in_a_compressed_page_differs_in_every_response(db: None) -> None:
    url = _article(db).get_absolute_url()
    client = Client()
    tokens = set()
    for _ in range(3):
        html = gzip.decompress(client.get(url, **GZIP).content).decode()
        tokens.update(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) >= 3  # one secret, masked afresh each time: nothing stable to guess at


def test_the_api_is_compressed_too(db: None) -> None:
    response = Client().get("/api/v1/openapi.json", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_staff_pages_are_never_compressed(db: None) -> None:
    User.objects.create_superuser("editor", "editor@example.com", "a long password 1")
    client = Client()
    client.login(username="editor", password="a long password 1")
    for url in ("/moderation/", "/admin/"):
        response = client.get(url, follow=True, **GZIP)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), url
