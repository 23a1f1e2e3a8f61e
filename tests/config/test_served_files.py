"""`rejoinder serve` streams files (the box's scripts and styles) whole, to any origin that
embeds the box: a publisher's page imports them from another origin."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from tests.servers import running_server

pytestmark = pytest.mark.processes  # starts `rejoinder serve`


def test_static_files_and_the_loader_are_served_to_other_origins(tmp_path: Path) -> None:
    with running_server(tmp_path, "/served-files/") as base:
        for name in ("discussion.js", "requests.js", "discussion.css", "embed.css"):
            found = finders.find(f"rejoinder/{name}")
            assert isinstance(found, str)
            request = urllib.request.Request(  # noqa: S310 - loopback test server
                f"{base}/static/rejoinder/{name}", headers={"Origin": "http://localhost:1"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200
                assert response.read() == Path(found).read_bytes()
                assert response.headers["Access-Control-Allow-Origin"] == "*"
        with urllib.request.urlopen(f"{base}/embed.js", timeout=30) as response:  # noqa: S310
            assert response.status == 200
            assert b"window.Rejoinder" in response.read()
