"""Gravatar/Libravatar pictures, opt-in per site, fetched and served by this server.

The avatar source is a small HTTP server started here on 127.0.0.1: no test reaches the internet.
"""

import hashlib
import http.server
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from rejoinder.accounts import avatars
from rejoinder.accounts.models import Account, SignInSettings
from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article
from rejoinder.widget.avatars import avatar_colour

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PICTURED = "Amal@Example.org"
BIG = "big@example.org"
SVG = "svg@example.org"
SLOW = "slow@example.org"


def sha(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class Source:
    """The fake avatar source: what it was asked, by path."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.url = ""


@pytest.fixture
def source() -> Iterator[Source]:
    state = Source()
    answers = {
        sha(PICTURED): ("image/png", PNG),
        sha(BIG): ("image/png", b"\x89PNG" + b"0" * (avatars.MAX_PICTURE_BYTES + 10)),
        sha(SVG): ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            hashed = self.path.split("?")[0].rsplit("/", 1)[-1]
            if hashed == sha(SLOW):
                time.sleep(1.5)
            if hashed not in answers:
                self.send_response(404)
                self.end_headers()
                return
            content_type, body = answers[hashed]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def configured(settings: Settings, source: Source, tmp_path: Path) -> Source:
    settings.DATA_DIR = tmp_path
    settings.REJOINDER = {**settings.REJOINDER, "AVATAR_SOURCE": source.url}
    return source


@pytest.fixture
def article(db: None) -> Article:
    return save_article(Article(slug="ferry", headline="Ferry", body="Text.", author_name="R"))


def opt_in(article: Article) -> None:
    SignInSettings.objects.update_or_create(
        site=article.page.site, defaults={"avatar_pictures": True}
    )


def avatar_of(html: str, comment_id: int) -> str:
    match = re.search(
        rf'id="comment-{comment_id}".*?(<span class="rj-avatar.*?</span>)', html, re.S
    )
    assert match
    return match[1]


def background_fetches_done() -> None:
    # One fetching thread: a task sent after the others runs once they are done.
    avatars._fetcher.submit(lambda: None).result(timeout=10)


def test_pictures_are_off_by_default_the_source_is_never_asked(
    client: Client, article: Article, configured: Source, make_reader: Callable[[], Commenter]
) -> None:
    amal = make_reader()
    comment = post_comment(
        page=article.page, author=amal, name="Amal K.", email=PICTURED, body="One", moderated=False
    )

    html = client.get(article.get_absolute_url()).content.decode()
    background_fetches_done()

    assert avatar_of(html, comment.pk).endswith(">AK</span>")
    assert configured.requests == []
    assert "/avatars/" not in html


def test_an_opted_in_site_shows_the_picture_from_its_own_url_and_serves_it_from_its_store(
    client: Client, article: Article, configured: Source, make_reader: Callable[[], Commenter]
) -> None:
    opt_in(article)
    amal = make_reader()
    comment = post_comment(
        page=article.page, author=amal, name="Amal K.", email=PICTURED, body="One", moderated=False
    )

    # The first view shows the initials and fetches the picture in the background.
    first = client.get(article.get_absolute_url()).content.decode()
    assert avatar_of(first, comment.pk).endswith(">AK</span>")
    background_fetches_done()
    assert configured.requests == [f"/avatar/{sha(PICTURED)}?s=80&d=404"]

    cache.clear()  # the thread markup kept for a minute has expired
    html = client.get(article.get_absolute_url()).content.decode()
    box = avatar_of(html, comment.pk)
    match = re.search(r'<img src="http://[^"]+(/avatars/([0-9a-f]{32}))" alt=""', box)
    assert match, box
    assert f"rj-avatar-{avatar_colour(amal.pk)}" in box
    for leak in (
        sha(PICTURED),
        hashlib.md5(PICTURED.lower().encode(), usedforsecurity=False).hexdigest(),
        configured.url,
    ):
        assert leak not in html
    assert "gravatar" not in html
    assert "libravatar" not in html

    answer = client.get(match[1])
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer.content == PNG
    assert answer["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "max-age=86400" in answer["Cache-Control"]

    # Served from the store: the source is not asked again.
    assert client.get(match[1]).content == PNG
    client.get(article.get_absolute_url())
    background_fetches_done()
    assert len(configured.requests) == 1


def test_a_signed_in_accounts_email_gives_its_picture(
    client: Client, article: Article, configured: Source, make_reader: Callable[[], Commenter]
) -> None:
    opt_in(article)
    reader = make_reader()
    Account.objects.create(
        site=article.page.site, commenter=reader, display_name="Amal", email=PICTURED
    )
    comment = post_comment(
        page=article.page, author=reader, name="Amal", body="Hi", moderated=False
    )
    assert avatars.fetch_picture(article.page.site_id, PICTURED) is True

    html = client.get(article.get_absolute_url()).content.decode()
    assert "/avatars/" in avatar_of(html, comment.pk)


@pytest.mark.parametrize("email", ["nobody@example.org", BIG, SVG, SLOW])
def test_a_miss_an_oversize_or_wrong_type_answer_or_a_timeout_gives_the_initials(
    client: Client,
    article: Article,
    configured: Source,
    make_reader: Callable[[], Commenter],
    monkeypatch: pytest.MonkeyPatch,
    email: str,
) -> None:
    monkeypatch.setattr(avatars, "FETCH_TIMEOUT_SECONDS", 0.5)
    opt_in(article)
    author = make_reader()
    comment = post_comment(
        page=article.page, author=author, name="Tom", email=email, body="One", moderated=False
    )

    assert avatars.fetch_picture(article.page.site_id, email) is False
    html = client.get(article.get_absolute_url()).content.decode()
    background_fetches_done()

    assert avatar_of(html, comment.pk).endswith(">T</span>")
    assert len(configured.requests) == 1  # the miss is remembered
    token = avatars.picture_token(article.page.site_id, email)
    answer = client.get(f"/avatars/{token}")
    assert answer.status_code == 404


def test_tokens_are_keyed_per_site_and_made_up_ones_are_404(
    client: Client, configured: Source, db: None
) -> None:
    assert avatars.picture_token(1, PICTURED) != avatars.picture_token(2, PICTURED)
    assert avatars.picture_token(1, PICTURED) == avatars.picture_token(1, " amal@example.ORG ")
    for token in ["0" * 32, "../../etc/passwd", "x" * 500, "%00"]:
        assert client.get(f"/avatars/{token}").status_code == 404
