"""Importing an export: the one entry the command line and the admin's upload both call."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from rejoinder.pages.models import Site
from rejoinder.portability import records as r
from rejoinder.portability.context import ReadContext
from rejoinder.portability.pipeline import PARALLEL_FROM_BYTES, records_from_child
from rejoinder.portability.report import Report
from rejoinder.portability.sources import SQLITE_MAGIC, BadFile, Opened, open_import_file
from rejoinder.portability.writer import Rewrite, Writer

Progress = Callable[[float], None]


Reader = Callable[[Opened, ReadContext], Iterator[r.Record]]


@dataclass(frozen=True)
class Format:
    name: str
    system: str
    description: str
    expects: str  # what sniffing must find: "xml", "json", "jsonl", "sqlite"
    reader: Callable[[], Reader]
    second_file: str = ""  # what FILE2 is, when the format takes one


def _disqus() -> Reader:
    from rejoinder.portability.formats import disqus

    return lambda opened, _ctx: disqus.read(opened)


def _wxr() -> Reader:
    from rejoinder.portability.formats import wxr

    return wxr.read


def _isso() -> Reader:
    from rejoinder.portability.formats import isso

    return isso.read


def _remark42() -> Reader:
    from rejoinder.portability.formats import remark42

    return remark42.read


def _commento() -> Reader:
    from rejoinder.portability.formats import commento

    return commento.read


def _waline() -> Reader:
    from rejoinder.portability.formats import waline

    return waline.read


def _rejoinder() -> Reader:
    from rejoinder.portability.formats import jsonl

    return jsonl.read


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("disqus", "disqus", "Disqus export XML (.xml or .xml.gz)", "xml", _disqus),
        Format(
            "wxr",
            "wordpress",
            "WordPress export (WXR 1.0-1.2) with wpDiscuz's comment and post meta",
            "xml",
            _wxr,
            second_file="a mysqldump of wpDiscuz's wp_wc_* tables",
        ),
        Format("isso", "isso", "Isso's SQLite database (comments.db)", "sqlite", _isso),
        Format("remark42", "remark42", "Remark42 backup (gzipped JSON lines)", "jsonl", _remark42),
        Format("commento", "commento", "Commento / Comentario JSON export", "json", _commento),
        Format("waline", "waline", "Waline migration JSON (waline.json)", "json", _waline),
        Format("jsonl", "rejoinder", "Rejoinder's own export (JSON Lines)", "jsonl", _rejoinder),
    )
}


class _DryRun(Exception):
    pass


def sniff(opened: Opened) -> str:
    """Say what the file's first bytes look like: xml, json, jsonl, sqlite, sql or text."""
    head = opened.head(4096)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "xml"
    if text.startswith(b"{") or text.startswith(b"["):
        first_line = text.split(b"\n", 1)
        if len(first_line) > 1 and first_line[1].lstrip().startswith(b"{"):
            return "jsonl"
        return "json"
    if text.startswith((b"--", b"/*", b"INSERT", b"CREATE", b"SET", b"DROP", b"LOCK")):
        return "sql"
    return "text"


_WHAT = {
    "xml": "an XML file",
    "json": "a JSON file",
    "jsonl": "a JSON Lines file",
    "sqlite": "an SQLite database",
    "sql": "an SQL dump",
    "text": "a text file of no known format",
}


def check_kind(opened: Opened, fmt: Format) -> None:
    found = sniff(opened)
    ok = found == fmt.expects or {found, fmt.expects} <= {"json", "jsonl"}
    if not ok:
        raise BadFile(
            f"this is {_WHAT[found]}, not {fmt.description}; choose the format that matches the file"
        )


def run_import(
    *,
    site: Site,
    format_name: str,
    path: Path,
    second: Path | None = None,
    rewrites: list[str] | None = None,
    dry_run: bool = False,
    timezone: str = "",
    progress: Progress | None = None,
    parallel: bool | None = None,
) -> Report:
    """Import a file (and its companion) into a site, in one transaction, and report.

    Raises BadFile (one line, with the line or offset where there is one) for a file that
    cannot be imported; the transaction is then rolled back and the database is exactly as
    before. With `dry_run` everything is done and reported, then rolled back. A big file is
    read in a second process (`pipeline`) unless `parallel` says otherwise.
    """
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise BadFile(f"unknown format {format_name!r}; one of: {', '.join(FORMATS)}")
    if second is not None and not fmt.second_file:
        raise BadFile(f"the {fmt.name} format takes one file; a second was given")
    parsed = [Rewrite.parse(text) for text in rewrites or []]
    files = [str(path)] + ([str(second)] if second else [])
    report = Report(format=fmt.name, files=files, site=str(site.pk), dry_run=dry_run)
    started = time.monotonic()
    with ExitStack() as stack:
        opened = stack.enter_context(open_import_file(path))
        check_kind(opened, fmt)
        context = ReadContext(timezone=timezone)
        if second is not None:
            context.second = stack.enter_context(open_import_file(second))
        total = opened.size + (context.second.size if context.second else 0)
        try:
            with transaction.atomic():
                writer = Writer(site=site, system=fmt.system, report=report, rewrites=parsed)
                if fmt.name == "jsonl":
                    from rejoinder.portability.formats import jsonl

                    writer = jsonl.prepare_writer(writer, opened)
                reader = fmt.reader()
                companion = context.second

                def read_so_far() -> int:
                    return opened.position() + (companion.position() if companion else 0)

                def produce() -> Iterator[r.Record]:
                    return reader(opened, context)

                if parallel is None:
                    parallel = total >= PARALLEL_FROM_BYTES and fmt.name != "isso"
                stream = (
                    records_from_child(produce, read_so_far)
                    if parallel
                    else ((record, 0) for record in produce())
                )
                for count, (record, where) in enumerate(stream, start=1):
                    writer.handle(record)
                    if progress is not None and count % 2000 == 0:
                        done = where or read_so_far()
                        progress(min(1.0, done / max(1, total)))
                writer.finish()
                if progress is not None:
                    progress(1.0)
                report.seconds = time.monotonic() - started
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return report
