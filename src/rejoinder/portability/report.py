"""What an import did: read, imported, already there, skipped (with why), orphans."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# The report lists this many skipped objects, orphans and changes one by one; past that it
# counts them.
LISTED = 1000


@dataclass
class Report:
    format: str
    files: list[str]
    site: str
    dry_run: bool = False
    read: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    already_there: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    skipped_count: Counter[str] = field(default_factory=Counter)
    orphans: list[dict[str, Any]] = field(default_factory=list)
    orphan_count: int = 0
    changed: list[dict[str, Any]] = field(default_factory=list)
    changed_count: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, kind: str, key: str, reason: str, line: int | None = None) -> None:
        self.skipped_count[kind] += 1
        if len(self.skipped) < LISTED:
            entry: dict[str, Any] = {"kind": kind, "id": key, "reason": reason}
            if line:
                entry["line"] = line
            self.skipped.append(entry)

    def orphan(self, key: str, parent: str, line: int | None = None) -> None:
        self.orphan_count += 1
        if len(self.orphans) < LISTED:
            entry: dict[str, Any] = {"id": key, "missing_parent": parent}
            if line:
                entry["line"] = line
            self.orphans.append(entry)

    def change(self, kind: str, key: str, what: str) -> None:
        self.changed_count += 1
        if len(self.changed) < LISTED:
            self.changed.append({"kind": kind, "id": key, "change": what})

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "files": self.files,
            "site": self.site,
            "dry_run": self.dry_run,
            "read": dict(sorted(self.read.items())),
            "imported": dict(sorted(self.imported.items())),
            "already_there": dict(sorted(self.already_there.items())),
            "skipped": {"count": dict(sorted(self.skipped_count.items())), "list": self.skipped},
            "orphans": {"count": self.orphan_count, "list": self.orphans},
            "changed": {"count": self.changed_count, "list": self.changed},
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)

    def summary(self) -> str:
        """A few lines for a terminal."""

        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        lines = [
            f"{'dry run: nothing written; ' if self.dry_run else ''}"
            f"{self.format} import into site {self.site} in {self.seconds:.1f} s",
            f"  read:          {counts(self.read)}",
            f"  imported:      {counts(self.imported)}",
            f"  already there: {counts(self.already_there)}",
            f"  skipped:       {counts(self.skipped_count)}",
            f"  orphans:       {self.orphan_count} (attached to their page)",
        ]
        if self.changed_count:
            lines.append(f"  changed:       {self.changed_count} (see the JSON report)")
        lines += [f"  note: {note}" for note in self.notes]
        for entry in self.skipped[:10]:
            where = f" (line {entry['line']})" if "line" in entry else ""
            lines.append(f"  skipped {entry['kind']} {entry['id']}{where}: {entry['reason']}")
        if sum(self.skipped_count.values()) > 10:
            lines.append("  … every skipped object is listed in the JSON report")
        return "\n".join(lines)
