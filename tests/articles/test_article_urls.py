"""The article pages keep their addresses and URL names ("pages:…"), which templates,
Article.get_absolute_url and publishers' own templates reverse."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import resolve, reverse


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("pages:index", {}, "/"),
        ("pages:article", {"slug": "bridge-reopens"}, "/articles/bridge-reopens/"),
        ("pages:feed", {}, "/feeds/articles.atom"),
        ("pages:favicon", {}, "/favicon.ico"),
    ],
)
def test_every_article_url_keeps_its_name_and_address(
    name: str, kwargs: dict[str, str], path: str
) -> None:
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_the_icon_at_favicon_ico_is_the_static_one_too(client: Client, db: None) -> None:
    found = finders.find("rejoinder/favicon.ico")
    assert found
    with open(found, "rb") as icon:
        assert client.get("/favicon.ico").content == icon.read()
