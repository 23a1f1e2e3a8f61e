"""The sample publisher signs its reader in to the box: its server mints the token."""

from __future__ import annotations

import re
import threading
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from tests.servers import free_port

from rejoinder.accounts.sso import verify_sso_token
from rejoinder.demo.loading import load_publisher_demo
from rejoinder.demo.publisher import SIGNED_IN_COOKIE, publisher_handler
from rejoinder.pages.lookup import default_site


@pytest.fixture
def gazette(db: None) -> Iterator[str]:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    secret = load_publisher_demo(origin)
    handler = publisher_handler("http://rejoinder.test", origin, default_site().pk, secret)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield origin
    server.shutdown()
    server.server_close()


def _get(url: str, cookie: str = "") -> str:
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own test server
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our own test server
        return answer.read().decode()


def test_a_signed_in_subscriber_gets_a_token_the_site_accepts(gazette: str) -> None:
    site = default_site()
    assert (site.sso_algorithm, site.login_url) == ("HS256", f"{gazette}/sign-in")
    guest = _get(f"{gazette}/news/harbour-ferry.html")
    assert "Sign in as a sample subscriber" in guest
    assert "data-sso-token" not in guest

    page = _get(f"{gazette}/news/harbour-ferry.html", f"{SIGNED_IN_COOKIE}=1")
    token = re.search(r'data-sso-token="([^"]+)"', page)
    assert token, page
    claims = verify_sso_token(site, token.group(1))
    assert (claims.profile.name, claims.profile.roles) == ("Sam Reader", ("subscriber",))


def test_loading_again_keeps_the_secret(gazette: str) -> None:
    assert load_publisher_demo(gazette) == default_site().sso_secret
