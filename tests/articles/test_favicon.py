"""The site's icon: named by every page, and answered at /favicon.ico where browsers look."""

from django.contrib.staticfiles import finders
from django.test import Client


def test_favicon_ico_is_served_as_an_icon(client: Client, db: None) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content.startswith(b"\x00\x00\x01\x00")  # an ICO directory
    assert b"\x89PNG" in response.content
    assert "max-age" in response["Cache-Control"]


def test_favicon_ico_answers_head_too(client: Client, db: None) -> None:
    assert client.head("/favicon.ico").status_code == 200


def test_every_page_links_its_svg_icon(client: Client, db: None) -> None:
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/rejoinder/favicon.svg" type="image/svg+xml">' in html
    found = finders.find("rejoinder/favicon.svg")
    assert found
    with open(found) as icon:
        assert icon.read().startswith("<svg ")
