import pytest
from django.core.management import CommandError, call_command

from rejoinder.pages.models import Page


def test_addpage_opens_and_closes_a_discussion(db: None) -> None:
    call_command("addpage", "/news/x/", "--title", "X", "--url", "https://news.example.org/x")
    page = Page.objects.get(uri="/news/x/")
    assert (page.title, page.url, page.is_open) == ("X", "https://news.example.org/x", True)
    call_command("addpage", "/news/x/", "--closed")
    page.refresh_from_db()
    assert not page.is_open
    assert page.title == "X"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--title", "x"], "empty"),
        (["/a/", "--url", "javascript:x"], "not an http"),
        (["/a/", "--site", "99"], "no site"),
    ],
)
def test_addpage_refuses_bad_input_with_a_reason(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("addpage", *args)
    assert not Page.objects.filter(uri="/a/").exists()
