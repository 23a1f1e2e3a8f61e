"""Static files are served from the installed package; the data directory holds data only."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from tests.servers import running_server

import rejoinder


def test_every_static_file_a_page_names_is_served_from_the_package(db: None) -> None:
    package = Path(rejoinder.__file__).parent
    client = Client()
    for url, source in [
        ("/static/rejoinder/discussion.js", package / "widget/static/rejoinder/discussion.js"),
        ("/static/rejoinder/site.css", package / "pages/static/rejoinder/site.css"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content) == source.read_bytes()  # type: ignore[attr-defined]
    assert client.get("/static/admin/css/base.css").status_code == 200
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@pytest.mark.processes  # starts `rejoinder serve`
def test_serve_collects_nothing_into_the_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_server(data, "/static-check/") as base:
        request = urllib.request.Request(  # noqa: S310 - the loopback test server
            f"{base}/static/rejoinder/discussion.js", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            assert response.status == 200
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
        assert b"addEventListener" in body
        with urllib.request.urlopen(f"{base}/static/admin/css/base.css", timeout=10) as admin:  # noqa: S310
            assert admin.status == 200
        # A reader that stops reading a large file: the server still stops when told to
        # (running_server gives it 20 s), its threads are not left waiting on the client.
        unread = urllib.request.urlopen(f"{base}/static/ninja/swagger-ui-bundle.js", timeout=10)  # noqa: S310
    unread.close()
    kept = sorted(p.name for p in data.iterdir())
    assert "static" not in kept, kept
    assert sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) < 5 * 1024 * 1024
