"""How times read: comments in the site's format (day-month-year by default), articles long-form."""

import importlib
import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.test import Client

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Article, Site
from rejoinder.pages.publishing import save_article

# The test settings' time zone: times are shown in it, and the ISO value carries its offset.
LOCAL = ZoneInfo("America/Sao_Paulo")
MARCH_23_2020 = datetime(2020, 3, 23, 8, 48, tzinfo=LOCAL)

migration = importlib.import_module("rejoinder.pages.migrations.0004_day_first_timestamps")


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(
            slug="ferry-timetable",
            headline="Ferry timetable changes",
            body="The ferry leaves earlier.",
            author_name="Ruth P.",
            published_at=MARCH_23_2020,
        )
    )


def comment_time(html: str) -> tuple[str, str]:
    """Return the (datetime attribute, text) of the first comment's time."""
    found = re.search(r'class="rj-time"[^>]*><time datetime="([^"]+)"[^>]*>([^<]+)</time>', html)
    assert found, "no comment time in the page"
    return found.group(1), found.group(2)


def test_a_new_site_shows_comment_times_day_month_year(db: None) -> None:
    assert Site(name="Courier").date_format == "d-m-y H:i"
    assert default_site().date_format == "d-m-y H:i"


def test_a_comment_time_reads_day_month_year_and_stays_iso_for_machines(
    client: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    post_comment(
        page=article.page, author=make_reader(), name="Ana", body="Hi", created_at=MARCH_23_2020
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert comment_time(html) == ("2020-03-23T08:48:00-03:00", "23-03-20 08:48")


def test_a_site_keeps_the_format_its_administrator_chose(
    client: Client, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    Site.objects.update(date_format="Y-m-d H:i")
    post_comment(
        page=article.page, author=make_reader(), name="Ana", body="Hi", created_at=MARCH_23_2020
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert comment_time(html)[1] == "2020-03-23 08:48"


def test_the_migration_moves_only_sites_still_on_the_old_default(db: None) -> None:
    on_old_default = Site.objects.create(name="Old", date_format="y-m-d H:i")
    chosen = Site.objects.create(name="Chosen", date_format="Y-m-d H:i")

    migration.use_day_first_timestamps(apps, None)

    on_old_default.refresh_from_db()
    chosen.refresh_from_db()
    assert on_old_default.date_format == "d-m-y H:i"
    assert chosen.date_format == "Y-m-d H:i"


def test_the_timestamp_format_is_edited_with_the_site_in_the_admin(
    admin_client: Client, db: None
) -> None:
    site = default_site()
    html = admin_client.get(f"/admin/pages/site/{site.pk}/change/").content.decode()
    assert 'name="date_format"' in html
    assert 'value="d-m-y H:i"' in html


def test_the_article_byline_gives_the_date_long_form_day_first(
    client: Client, article: Article
) -> None:
    html = client.get(article.get_absolute_url()).content.decode()

    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S)
    assert byline
    assert '<time datetime="2020-03-23T08:48:00-03:00">23 March 2020, 08:48</time>' in byline[1]
