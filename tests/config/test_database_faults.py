"""A full disk, a database that cannot be reached, a lock held too long: 503, never a 500.

The conditions are real: SQLite's own "database or disk is full" from a page limit on the
test database (`PRAGMA max_page_count`), a connection to a closed port (PostgreSQL) or to a
database file that cannot be opened (SQLite), and SQLite's write lock held by another
connection past the busy timeout.
"""

from __future__ import annotations

import copy
import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from tests.conftest import ApiClient
from tests.servers import free_port

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article, Page
from rejoinder.pages.publishing import save_article

LONG_BODY = "A considered answer, with reasons. " * 140  # about 5,000 characters
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="a condition of SQLite's own; the unreachable server is tested on both",
)


@pytest.fixture
def article(transactional_db: None) -> Article:
    return save_article(
        Article(slug="budget", headline="Budget passes", body="Text.", author_name="Ed")
    )


@pytest.fixture
def full_database(article: Article) -> Iterator[None]:
    """Let the database grow no further: the next write that needs a page fails, as on a full disk."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # no free pages left inside the file either
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {int(pages)}")
    try:
        yield
    finally:
        _give_space_back()


def _give_space_back() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 1073741823")


def _csrf(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name in ("rejoinder.faults", "django.request")]


@sqlite_only
def test_a_full_disk_refuses_posts_with_503_and_keeps_data_safe_until_space_returns(
    article: Article, full_database: None, caplog: pytest.LogCaptureFixture
) -> None:
    api = ApiClient()
    caplog.set_level(logging.INFO)
    for _ in range(2):
        response = api.post_comment(article.page.uri, body=LONG_BODY)
        assert response.status_code == 503
        assert response["Content-Type"] == "application/problem+json"
        assert response["Retry-After"] == "60"
        problem = response.json()
        assert problem["status"] == 503
        assert problem["fault"] == "disk_full"
        assert "nothing was saved" in problem["detail"]
    assert Comment.objects.count() == 0
    assert Page.objects.get(pk=article.page.pk).comment_count == 0
    # One clear line, no traceback, and Django's own "Service Unavailable" line left out.
    (line,) = _refusals(caplog)
    assert line.name == "rejoinder.faults"
    assert line.levelno == logging.ERROR
    assert line.exc_info is None
    assert "\n" not in line.getMessage()
    assert "Storage full" in line.getMessage()
    assert "database or disk is full" in line.getMessage()

    health = Client().get("/health")
    assert health.status_code == 200
    assert health["Cache-Control"] == "no-store"
    assert health.json()["status"] == "degraded"
    assert health.json()["storage"]["status"] == "full"
    assert health.json()["storage"]["last_refused_at"]

    _give_space_back()
    posted = api.post_comment(article.page.uri, body=LONG_BODY)
    assert posted.status_code == 201
    assert Comment.objects.get().body == LONG_BODY.strip()
    assert Page.objects.get(pk=article.page.pk).comment_count == 1
    assert Client().get("/health").json()["storage"]["status"] == "ok"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchone()[0] == "ok"


@sqlite_only
def test_a_full_disk_gives_the_no_js_form_a_page_that_keeps_the_text(
    article: Article, full_database: None
) -> None:
    reader = Client(enforce_csrf_checks=True)
    token = _csrf(reader, article.get_absolute_url())
    sent = {"csrfmiddlewaretoken": token, "name": 'Ana "A"', "body": LONG_BODY, "parent": ""}
    response = reader.post(f"/discussion/{article.page.pk}/comments", sent)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "run out of storage space" in html
    assert f">{LONG_BODY}</textarea>" in html
    assert 'name="name" value="Ana &quot;A&quot;"' in html
    assert f'action="/discussion/{article.page.pk}/comments"' in html
    assert token not in html  # the page carries a token of its own
    assert Comment.objects.count() == 0

    # "Send again" posts the same fields once there is room.
    _give_space_back()
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    fields["body"] = LONG_BODY
    fields["name"] = "Ana"
    again = reader.post(f"/discussion/{article.page.pk}/comments", fields)
    assert again.status_code == 302
    assert Comment.objects.get().author_name == "Ana"


@sqlite_only
def test_a_full_disk_answers_the_box_script_with_a_problem(
    article: Article, full_database: None
) -> None:
    reader = Client()
    response = reader.post(
        f"/discussion/{article.page.pk}/comments",
        {"name": "Ana", "body": LONG_BODY},
        headers={"X-Rejoinder-Fragment": "1"},
    )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["fault"] == "disk_full"


@pytest.fixture
def unreachable_database(article: Article, tmp_path: Path) -> Iterator[None]:
    """Point the default connection at a database that is not there: a closed port on
    PostgreSQL, a file in a missing directory on SQLite (neither opens)."""
    original = connections["default"]
    broken_settings = copy.deepcopy(original.settings_dict)
    if original.vendor == "postgresql":
        broken_settings.update(HOST="127.0.0.1", PORT=str(free_port()))
    else:
        broken_settings["NAME"] = str(tmp_path / "gone" / "rejoinder.sqlite3")
    broken = original.__class__(broken_settings, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


def test_an_unreachable_database_is_a_503_for_every_kind_of_request(
    article: Article, unreachable_database: None, caplog: pytest.LogCaptureFixture
) -> None:
    uri = article.page.uri
    api = ApiClient()
    caplog.set_level(logging.INFO)
    read = api.get(f"/threads?uri={uri}")
    assert read.status_code == 503
    assert read["Retry-After"] == "10"
    assert read.json()["fault"] == "database_unavailable"
    posted = api.post_comment(uri, body="Still here?")
    assert posted.status_code == 503
    assert posted["Content-Type"] == "application/problem+json"

    page = Client().get(article.get_absolute_url())
    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/html")
    assert "cannot be reached" in page.content.decode()

    form = Client().post(
        f"/discussion/{article.page.pk}/comments", {"name": "Ana", "body": "Kept, please."}
    )
    assert form.status_code == 503
    assert ">Kept, please.</textarea>" in form.content.decode()

    health = Client().get("/health")
    assert health.status_code == 503
    assert health.json()["status"] == "down"
    assert health.json()["database"]["status"] == "database_unavailable"

    (line,) = _refusals(caplog)
    assert "Database unavailable" in line.getMessage()
    assert line.exc_info is None


def test_a_fault_met_outside_the_view_is_a_503_too(
    article: Article, unreachable_database: None
) -> None:
    # A write from another origin makes the API's guard (a middleware) read the sites'
    # allowed origins before any view runs.
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/comments",
        '{"uri": "/x", "name": "A", "body": "b"}',
        content_type="application/json",
        headers={"Origin": "https://elsewhere.example"},
    )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "10"


def test_a_real_server_error_in_the_api_is_problem_json_not_a_page(
    rf: pytest.FixtureRequest,
) -> None:
    from rejoinder.config.faults import server_error

    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        response = server_error(rf.post("/api/v1/comments"))  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"


@sqlite_only
def test_sqlite_locked_past_the_busy_timeout_is_a_503_with_retry_after(
    article: Article,
) -> None:
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds SQLite's write lock
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 50")
        response = ApiClient().post_comment(article.page.uri)
        assert response.status_code == 503
        assert response["Retry-After"] == "1"
        assert response.json()["fault"] == "database_busy"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")
    assert ApiClient().post_comment(article.page.uri).status_code == 201


@sqlite_only
def test_a_keyed_write_refused_for_lack_of_space_runs_when_retried(
    article: Article, full_database: None
) -> None:
    api = ApiClient()
    api.client.raise_request_exception = False
    key = {"Idempotency-Key": "retry-after-full-disk"}
    refused = api.post_comment(article.page.uri, body=LONG_BODY, headers=key)
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    _give_space_back()
    retried = api.post_comment(article.page.uri, body=LONG_BODY, headers=key)
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    api.token = None  # as if this answer was lost too
    api.client.cookies.clear()
    again = api.post_comment(article.page.uri, body=LONG_BODY, headers=key)
    assert again["Idempotent-Replayed"] == "true"
    assert Comment.objects.count() == 1
