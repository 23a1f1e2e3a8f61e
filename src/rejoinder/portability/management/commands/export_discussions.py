"""`rejoinder export --site SITE [--format jsonl] [--output FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rejoinder.portability.exporting import EXPORTERS
from rejoinder.portability.management.commands.import_discussions import find_site


class Command(BaseCommand):
    help = "Export a site's discussions: Rejoinder JSON Lines, WXR (wpDiscuz meta) or Disqus XML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", required=True, help="the site's id or domain")
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="jsonl")
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        site = find_site(options["site"])
        exporter = EXPORTERS[options["format"]]
        target: Path | None = options["output"]
        if target is None:
            exporter(site, sys.stdout)
            return
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as out:
                lines = exporter(site, out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {target}: {exc.strerror}") from None
        partial.replace(target)
        self.stderr.write(f"exported site {site.pk} to {target} ({lines} records)")
