"""Which language and time zone an answer speaks: the page's `lang`, the reader's browser where
the site allows it, the site's own, the server's; and every cache keeps the languages apart."""

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Page, Site

LANG = re.compile(r'<section class="rj-discussion" id="comments" lang="([^"]+)" dir="([^"]+)"')


def box_language(response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    found = LANG.search(response.content.decode())
    assert found, "no discussion box in the answer"
    return found.group(1), found.group(2)


def box(client: Client, page: Page, query: str = "", **headers: str):  # type: ignore[no-untyped-def]
    return client.get(f"/discussion/{page.pk}/box{query}", **headers)


def test_a_site_speaks_the_servers_language_unless_it_has_its_own(
    client: Client, site: Site, page: Page
) -> None:
    answer = box(client, page, HTTP_ACCEPT_LANGUAGE="fr")
    assert box_language(answer) == ("en", "ltr")
    assert answer["Content-Language"] == "en"
    # The reader's browser is not asked: nothing varies with it.
    assert "Accept-Language" not in answer.get("Vary", "")

    Site.objects.filter(pk=site.pk).update(language="ar")
    site.refresh_from_db()
    site.save()  # an admin's save: the language takes effect at once

    answer = box(client, page)
    assert box_language(answer) == ("ar", "rtl")
    assert answer["Content-Language"] == "ar"


def test_the_page_that_embeds_the_box_chooses_its_language(
    client: Client, site: Site, page: Page
) -> None:
    site.language = "de"
    site.save()

    answer = client.get(f"/embed/{site.pk}/box?uri={page.uri}&lang=ar")
    html = answer.content.decode()

    assert box_language(answer) == ("ar", "rtl")
    # The box tells its script to ask for the same language in every later request.
    assert 'data-rj-lang="ar"' in html
    # A regional tag takes the language Rejoinder has.
    assert box_language(box(client, page, "?lang=fr-CA")) == ("fr", "ltr")
    # A site's own language is not a request's: the script has nothing to carry on.
    assert "data-rj-lang" not in box(client, page).content.decode()


@pytest.mark.parametrize("asked", ["pt", "x" * 40, "ar;DROP", "<script>", "", "fr-", "--"])
def test_a_language_rejoinder_does_not_speak_falls_back_to_the_sites(
    client: Client, site: Site, page: Page, asked: str
) -> None:
    site.language = "es"
    site.save()

    answer = client.get(f"/discussion/{page.pk}/box", {"lang": asked})

    assert answer.status_code == 200
    assert box_language(answer) == ("es", "ltr")


def test_the_readers_browser_is_followed_only_where_the_site_allows_it(
    client: Client, site: Site, page: Page
) -> None:
    site.language = "fr"
    site.reader_language = True
    site.save()

    answer = box(client, page, HTTP_ACCEPT_LANGUAGE="pt-BR, de;q=0.8, en;q=0.5")
    assert box_language(answer) == ("de", "ltr")
    assert "Accept-Language" in answer["Vary"]
    assert "Cookie" in answer["Vary"]

    # Nothing it speaks: the site's language, still varying with the header.
    answer = box(client, page, HTTP_ACCEPT_LANGUAGE="pt-BR, ja")
    assert box_language(answer) == ("fr", "ltr")
    assert "Accept-Language" in answer["Vary"]

    # The page's own `lang` wins over the reader's browser.
    answer = box(client, page, "?lang=es", HTTP_ACCEPT_LANGUAGE="de")
    assert box_language(answer) == ("es", "ltr")

    # A malformed header is a preference that says nothing.
    answer = box(client, page, HTTP_ACCEPT_LANGUAGE="de;q=abc,,;;" + "x" * 5000)
    assert answer.status_code == 200


def test_a_page_kept_in_one_language_is_not_revalidated_in_another(
    client: Client, site: Site, page: Page
) -> None:
    site.reader_language = True
    site.save()
    english = box(client, page, HTTP_ACCEPT_LANGUAGE="en")

    same = box(client, page, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=english["ETag"])
    other = box(client, page, HTTP_ACCEPT_LANGUAGE="ar", HTTP_IF_NONE_MATCH=english["ETag"])

    assert same.status_code == 304
    assert other.status_code == 200
    assert box_language(other) == ("ar", "rtl")


def test_times_are_shown_in_the_sites_time_zone(
    client: Client, site: Site, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    posted = datetime(2020, 3, 23, 8, 48, tzinfo=ZoneInfo("UTC"))
    post_comment(page=page, author=make_reader(), name="Ana", body="Hi", created_at=posted)
    site.time_zone = "Asia/Riyadh"
    site.save()

    html = client.get(f"/discussion/{page.pk}/").content.decode()

    assert '<time datetime="2020-03-23T11:48:00+03:00"' in html
    assert ">23-03-20 11:48</time>" in html


def test_a_site_refuses_a_time_zone_that_does_not_exist(site: Site) -> None:
    from django.core.exceptions import ValidationError

    site.time_zone = "Europe/Pariss"
    with pytest.raises(ValidationError) as refused:
        site.full_clean()
    assert "time_zone" in refused.value.message_dict
