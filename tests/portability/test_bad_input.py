"""Every bad file: one line naming the problem (and where), a non-zero exit, the database
exactly as before."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rejoinder.pages.models import Site
from rejoinder.portability.report import Report
from rejoinder.portability.sources import BadFile

from .conftest import SAMPLES, database_rows

DISQUS = (SAMPLES / "disqus.xml").read_bytes()
WXR = (SAMPLES / "wordpress.xml").read_bytes()
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<disqus xmlns="http://disqus.com"><thread>&lol2;</thread></disqus>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<disqus xmlns="http://disqus.com"><thread>&secret;</thread></disqus>
"""


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("disqus.xml", b"<" + b" " * (80 * 1024 * 1024))
    return buffer.getvalue()


CASES = {
    "empty": ("disqus", b"", r"the file is empty \(0 bytes\)"),
    "truncated xml": (
        "disqus",
        DISQUS[: len(DISQUS) // 2],
        r"line \d+, column \d+: not well-formed XML",
    ),
    "truncated gzip": ("disqus", gzip.compress(DISQUS)[:-40], "truncated"),
    "gzip of nothing": ("disqus", gzip.compress(b""), "holds no data"),
    "wrong format": ("disqus", WXR, "WordPress exports \\(WXR\\).*use `rejoinder import wxr`"),
    "json for xml": (
        "disqus",
        b'{"version": 1, "comments": []}',
        "this is a JSON file, not Disqus",
    ),
    "xml for json": ("commento", DISQUS, "this is an XML file, not Commento"),
    "entity bomb": ("disqus", BOMB, "line 2: the XML holds a DTD"),
    "external entity": ("disqus", EXTERNAL, "line 2: the XML holds a DTD"),
    "truncated json": ("commento", (SAMPLES / "commento.json").read_bytes()[:300], "truncated"),
    "broken json line": (
        "remark42",
        (SAMPLES / "remark42.jsonl").read_bytes() + b'{"id": "x", oops}\n',
        "line 6",
    ),
    "not a jsonl export": ("jsonl", b'{"type": "other"}\n{"a": 1}\n', "not a Rejoinder export"),
    "zip bomb": ("disqus", _zip_bomb(), "compression bomb"),
    "truncated sql": ("wxr", None, "ends inside a statement"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_changes_nothing_and_says_why_in_one_line(
    run: Callable[..., Report], tmp_path: Path, case: str
) -> None:
    run("disqus", "disqus.xml")  # something in the database already
    before = database_rows()
    format_name, content, message = CASES[case]
    path = tmp_path / "input"
    second = None
    if content is None:
        path.write_bytes(WXR)
        second = tmp_path / "dump.sql"
        second.write_bytes((SAMPLES / "wpdiscuz.sql").read_bytes()[:2500])
    else:
        path.write_bytes(content)
    with pytest.raises(BadFile, match=message) as caught:
        _run_two(run, path, second) if second else run(format_name, path)
    assert "\n" not in str(caught.value)
    assert database_rows() == before


def _run_two(run: Callable[..., Report], path: Path, second: Path) -> Report:
    from rejoinder.portability.importing import run_import

    site = Site.objects.get(domain="news.example.org")
    return run_import(site=site, format_name="wxr", path=path, second=second)


def test_a_file_of_another_site_is_refused(run: Callable[..., Report], gazette: Site) -> None:
    other = Site.objects.create(name="Other", domain="other.example.com")
    before = database_rows()
    with pytest.raises(
        BadFile, match=r"the file is for news.example.org .*not for site .*--rewrite"
    ):
        run("disqus", "disqus.xml", site=other)
    assert database_rows() == before
    report = run(
        "disqus",
        "disqus.xml",
        site=other,
        rewrites=[
            "https://news.example.org=https://other.example.com",
            "http://news.example.org=https://other.example.com",
        ],
    )
    assert report.imported["comments"] == 7


def test_a_dry_run_reports_and_writes_nothing(run: Callable[..., Report], gazette: Site) -> None:
    before = database_rows()
    report = run("disqus", "disqus.xml", dry_run=True)
    assert report.imported["comments"] == 7
    assert report.dry_run
    assert database_rows() == before


def test_the_command_exits_non_zero_with_one_line(gazette: Site, tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    with pytest.raises(CommandError) as caught:
        call_command("import_discussions", "disqus", str(path), "--site", str(gazette.pk))
    assert str(caught.value) == "empty.xml: the file is empty (0 bytes)"


def test_the_command_writes_the_report_as_json(gazette: Site, tmp_path: Path) -> None:
    import json

    out = io.StringIO()
    target = tmp_path / "report.json"
    call_command(
        "import_discussions",
        "disqus",
        str(SAMPLES / "disqus.xml"),
        "--site",
        "news.example.org",
        "--report",
        str(target),
        stdout=out,
    )
    report = json.loads(target.read_text())
    assert report["imported"]["comments"] == 7
    assert report["orphans"]["list"] == [{"id": "5000000007", "missing_parent": "4999999999"}]
    assert "imported:" in out.getvalue()


def test_rejoinder_import_on_the_command_line_exits_non_zero(
    gazette: Site,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import connections

    from rejoinder.__main__ import main

    # the command closes its connections when it ends; the test's transaction needs them
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress(DISQUS)[:-40])
    before = database_rows()
    with pytest.raises(SystemExit) as caught:
        main(["import", "disqus", str(path), "--site", "news.example.org"])
    assert caught.value.code != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "export.xml.gz" in error
    assert "truncated" in error
    assert database_rows() == before
