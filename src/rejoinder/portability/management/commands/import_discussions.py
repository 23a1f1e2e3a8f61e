"""`rejoinder import FORMAT FILE [FILE2] --site SITE [--dry-run] [--rewrite OLD=NEW]`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rejoinder.errors import RejoinderError
from rejoinder.pages.models import Site
from rejoinder.portability.importing import FORMATS, run_import
from rejoinder.portability.sources import BadFile


def find_site(value: str) -> Site:
    """The site named by --site: its id, or its domain."""
    site = None
    if value.isdigit():
        site = Site.objects.filter(pk=int(value)).first()
    if site is None:
        site = Site.objects.filter(domain__iexact=value).order_by("pk").first()
    if site is None:
        raise CommandError(f"--site {value}: no site has that id or domain")
    return site


class Command(BaseCommand):
    help = "Import discussions from another system's export (or Rejoinder's own)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS), help="what the file is")
        parser.add_argument("file", type=Path)
        parser.add_argument("file2", type=Path, nargs="?", help="wxr: a mysqldump of wp_wc_*")
        parser.add_argument("--site", required=True, help="the site's id or domain")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--rewrite",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help="thread addresses starting with OLD start with NEW instead (repeatable)",
        )
        parser.add_argument(
            "--timezone",
            default="",
            help="wxr: the WordPress site's time zone (e.g. Europe/Berlin), for times the "
            "export gives in local time only",
        )
        parser.add_argument(
            "--report", type=Path, help="where to write the JSON report (default: data dir)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = find_site(options["site"])
        bar = _progress_bar(options["file"].name)
        try:
            report = run_import(
                site=site,
                format_name=options["format"],
                path=options["file"],
                second=options["file2"],
                rewrites=options["rewrite"],
                dry_run=options["dry_run"],
                timezone=options["timezone"],
                progress=bar.update if bar else None,
            )
        except BadFile as exc:
            raise CommandError(f"{options['file'].name}: {exc}") from None
        except RejoinderError as exc:
            raise CommandError(exc.message) from None
        finally:
            if bar:
                bar.close()
        target = options["report"] or _default_report_path(options["format"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report.to_json() + "\n", encoding="utf-8")
        self.stdout.write(report.summary())
        self.stdout.write(f"  report: {target}")


def _default_report_path(format_name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "imports" / f"import-{format_name}-{stamp}.json"


class _Bar:
    """A progress bar on the terminal (tqdm), by share of the file read."""

    def __init__(self, name: str) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=1000, desc=name, unit="‰", file=sys.stderr, leave=False)
        self.done = 0

    def update(self, fraction: float) -> None:
        step = int(fraction * 1000)
        if step > self.done:
            self.bar.update(step - self.done)
            self.done = step

    def close(self) -> None:
        self.bar.close()


def _progress_bar(name: str) -> _Bar | None:
    return _Bar(name) if sys.stderr.isatty() else None
