"""Live updates in the box embedded on a publisher's page, against `rejoinder serve` (its
front serves the streams): the same live.js in the shadow root, the stream read across
origins for the site's allowed origins.

Rejoinder is `rejoinder serve` on http://127.0.0.1:PORT; the publisher is the demo's sample
newspaper on http://localhost:PORT2, another origin, with its strict Content-Security-Policy.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from tests.browser.test_embedded_box import BOX, Host, _host
from tests.servers import free_port, running_server, server_env

from rejoinder.demo.loading import PUBLISHER_PAGE
from rejoinder.demo.publisher import publisher_handler

pytestmark = [pytest.mark.browser, pytest.mark.processes]

ALLOW = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")  # as the server
django.setup()
from rejoinder.demo.loading import load_publisher_demo
from rejoinder.pages.lookup import default_site
load_publisher_demo(sys.argv[1])
print(default_site().pk)
"""


def _post(base: str, body: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/comments",
        data=json.dumps({"uri": PUBLISHER_PAGE, "name": "Bruno", "body": body}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return int(json.load(response)["comment"]["id"])


@pytest.fixture
def rejoinder(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path, PUBLISHER_PAGE, RATE_LIMITS="0") as base:
        yield base


@pytest.fixture
def publisher(rejoinder: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    origin = f"http://localhost:{port}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", ALLOW, origin],
        env=server_env(tmp_path, RATE_LIMITS="0"),
        check=True,
        capture_output=True,
        text=True,
    )
    site_id = int(done.stdout.strip())
    server = ThreadingHTTPServer(("127.0.0.1", port), publisher_handler(rejoinder, origin, site_id))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield origin
    server.shutdown()
    server.server_close()


@pytest.fixture
def host(browser: Browser, publisher: str) -> Iterator[Host]:
    yield from _host(browser, publisher)


def test_a_comment_from_another_reader_waits_behind_the_button_in_the_embedded_box(
    host: Host, rejoinder: str
) -> None:
    first = _post(rejoinder, "There before the reader came.")
    page = host.open(PUBLISHER_PAGE)
    host.box()
    box = page.locator(BOX)
    expect(box.locator(f"#comment-{first}")).to_be_visible()
    draft = box.locator("#rj-form-top textarea[name=body]")
    draft.fill("Half a thought I have not sent")
    page.evaluate("() => { window.__rjMarker = 1; }")

    newer = _post(rejoinder, "Posted by another reader while this one writes.")

    button = box.get_by_role("button", name="New comments: 1 — show")
    expect(button).to_be_visible()
    expect(box.locator(".rj-comment-total").first).to_have_text("2")
    expect(box.locator(f"#comment-{newer}")).to_have_count(0)
    expect(draft).to_have_value("Half a thought I have not sent")
    expect(draft).to_be_focused()  # the focus in the shadow root is left where it was

    button.click()
    arrived = box.locator(f".rj-thread > #comment-{newer}")
    expect(arrived).to_be_visible()
    expect(arrived).to_contain_text("Posted by another reader while this one writes.")
    expect(button).to_be_hidden()
    expect(draft).to_have_value("Half a thought I have not sent")
    assert page.evaluate("() => window.__rjMarker") == 1, "the page reloaded"
    # Its links lead to Rejoinder's origin, not the publisher's.
    permalink = arrived.locator("a[href*='/c/']").first
    expect(permalink).to_have_attribute("href", re.compile(rf"^{re.escape(rejoinder)}/c/"))
