"""A reader signs in to the box on the publisher's page with a token the publisher minted,
and their comment shows their name and badge.

The publisher is the demo's sample newspaper on another origin, with its strict
Content-Security-Policy; the token is minted here, as the publisher's server would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser.conftest import TIMEOUT_MS
from tests.servers import free_port

from rejoinder.accounts.models import Account, ReaderSession
from rejoinder.comments.models import Comment
from rejoinder.demo.loading import PUBLISHER_PAGE, load_publisher_demo
from rejoinder.demo.publisher import mint_token, publisher_handler
from rejoinder.pages.lookup import default_site

pytestmark = pytest.mark.browser

BOX = "#rejoinder-thread"
STAFF = {
    "sub": "newsroom-7",
    "name": "Tess Editor",
    "email": "tess@gazette.example",
    "email_verified": True,
    "roles": ["staff"],
}


@pytest.fixture
def gazette(live_server: LiveServer, live_db: None, rate_limits_off: None) -> Iterator[str]:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    secret = load_publisher_demo(origin)
    handler = publisher_handler(live_server.url, origin, default_site().pk, secret)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield origin
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser: Browser, gazette: str) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def _post(page: Page, body: str, name: str = "") -> None:
    form = page.locator(f"{BOX} #rj-form-top")
    form.locator("textarea[name=body]").fill(body)
    if name:
        form.locator("input[name=name]").fill(name)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"{BOX} .rj-comment.rj-new", has_text=body)).to_have_count(1)


def test_a_guest_signs_in_with_the_publishers_token_and_posts_under_their_name(
    tab: Page, gazette: str
) -> None:
    tab.goto(gazette + PUBLISHER_PAGE)
    box = tab.locator(BOX)
    box.locator(".rj-discussion.rj-js").wait_for()
    expect(box.locator(".rj-account")).to_contain_text("Sign in")
    _post(tab, "Written before signing in.", name="Guest")

    token = mint_token(default_site().sso_secret, default_site().pk, STAFF)
    tab.evaluate("token => Rejoinder.signIn(token)", token)

    expect(box.locator(".rj-account")).to_contain_text("Signed in as Tess Editor")
    _post(tab, "Signed in from the newspaper's page.")
    mine = box.locator(".rj-comment", has_text="Signed in from the newspaper's page.").first
    expect(mine.locator(".rj-author")).to_have_text("Tess Editor")
    expect(mine.locator(".rj-badge-staff")).to_have_text("Staff")
    expect(mine.locator(".rj-badge-verified")).to_have_text("Verified")

    # Voting goes through the same form-replacing path as the box's Sign out.
    marta = box.locator(".rj-comment", has_text="Finally. The last bus").first
    marta.locator(".rj-votes button").first.click()
    expect(marta.locator(".rj-votes button[aria-pressed=true]")).to_have_count(1)

    account = Account.objects.get()
    assert set(Comment.objects.filter(author=account.commenter).values_list("body", flat=True)) == {
        "Written before signing in.",
        "Signed in from the newspaper's page.",
    }

    box.get_by_role("button", name="Sign out", exact=True).click()
    expect(box.locator(".rj-account")).to_contain_text("You are signed out.")
    assert ReaderSession.objects.get().revoked_at is not None


def test_the_sample_subscriber_signs_in_through_the_publishers_page(
    tab: Page, gazette: str
) -> None:
    """The demo's path: the newspaper's own sign-in, then every page carries data-sso-token."""
    tab.goto(gazette + PUBLISHER_PAGE)
    tab.get_by_role("link", name="Sign in as a sample subscriber").click()
    box = tab.locator(BOX)
    expect(box.locator(".rj-account")).to_contain_text("Signed in as Sam Reader")
    tab.reload()
    expect(box.locator(".rj-account")).to_contain_text("Signed in as Sam Reader")
    assert ReaderSession.objects.count() == 1  # the live session is kept on every page view
