"""What a reader downloads for the embedded box has a budget, measured as it travels: minified
and compressed (a test below checks the minified scripts still parse)."""

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from rejoinder.widget.embed import EMBED_ASSETS, EMBED_LATER_ASSETS, embed_asset_source

LOADER_BUDGET_BYTES = 3 * 1024
EMBED_BUDGET_BYTES = 15 * 1024
# The live updates' module, loaded once the box is shown.
LATER_BUDGET_BYTES = 3 * 1024
EVERYTHING = EMBED_ASSETS | EMBED_LATER_ASSETS


def _gzipped(name: str) -> int:
    return len(gzip.compress(embed_asset_source(name), compresslevel=9))


def test_the_loader_stays_within_its_budget() -> None:
    assert _gzipped("embed.js") <= LOADER_BUDGET_BYTES


def test_everything_the_embed_loads_stays_within_its_budget() -> None:
    sizes = {name: _gzipped(name) for name in EMBED_ASSETS}
    assert sum(sizes.values()) <= EMBED_BUDGET_BYTES, sizes


def test_what_the_embed_loads_after_showing_the_box_stays_within_its_budget() -> None:
    sizes = {name: _gzipped(name) for name in EMBED_LATER_ASSETS}
    assert sum(sizes.values()) <= LATER_BUDGET_BYTES, sizes


@pytest.mark.processes
@pytest.mark.parametrize("name", sorted(n for n in EVERYTHING if n.endswith(".js")))
def test_the_minified_scripts_still_parse(name: str, tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed (it comes with npm, which the browser tests install)"
    module = tmp_path / f"{name}.mjs"
    module.write_bytes(embed_asset_source(name))
    checked = subprocess.run([node, "--check", str(module)], capture_output=True, text=True)  # noqa: S603
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("name", sorted(EVERYTHING))
def test_the_embed_loads_nothing_from_any_other_origin(name: str) -> None:
    text = embed_asset_source(name).decode()
    assert "https://" not in text
    assert "http://" not in text.replace("http://www.w3.org", "")


def test_the_files_are_served_to_any_origin_and_revalidated(client: Client) -> None:
    first = client.get("/embed/m/discussion.js", HTTP_ACCEPT_ENCODING="gzip, br")
    assert first.status_code == 200
    assert first["Content-Encoding"] == "gzip"
    assert b"function" in gzip.decompress(first.content)
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get("/embed/m/discussion.js", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/embed/m/settings.py").status_code == 404
    assert client.get("/embed/m/..%2Fsettings.py").status_code == 404
