"""`rejoinder backup` and `rejoinder restore`: a consistent copy of the database, and back.

SQLite: the online backup API (sqlite3's `Connection.backup`) copies the database page by
page while the server keeps serving; the copy is what was committed at one moment (a write
that lands meanwhile makes the copy start again from that point), WAL included. PostgreSQL:
`pg_dump --format=custom`, one snapshot of a running database. Restoring replaces every row
with the copy's: stop the servers and workers first (docs/deployment.md, "Backups").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in one line."""


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _is_sqlite(db: dict[str, Any]) -> bool:
    return "sqlite" in str(db["ENGINE"])


def default_target(now: datetime | None = None) -> Path:
    """Where a backup goes when no path is given: DATA_DIR/backups/rejoinder-<UTC time>.<kind>."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if _is_sqlite(_database()) else "pgdump"
    return Path(settings.DATA_DIR) / "backups" / f"rejoinder-{stamp}.{suffix}"


def backup(target: Path | None = None) -> Path:
    """Copy the database to `target` (a file, or a directory to put one in); return the file.

    The copy is written beside its final name and renamed into place, so a file under the
    final name is always a whole backup.
    """
    db = _database()
    if target is None:
        target = default_target()
    elif target.is_dir():
        target = target / default_target().name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if _is_sqlite(db):
            _sqlite_copy(Path(db["NAME"]), partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)], db)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(source: Path) -> None:
    """Replace the database's contents with the backup `source` (servers stopped)."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    db = _database()
    with source.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    if _is_sqlite(db):
        if head != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup (made by `rejoinder backup`)")
        _sqlite_copy(source, Path(db["NAME"]))
    else:
        if not head.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{source} is not a pg_dump custom-format backup")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(db["NAME"]),
                str(source),
            ],
            db,
        )


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database onto another with the online backup API."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    dst = sqlite3.connect(target, timeout=20)
    try:
        src.backup(dst)
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy at {target} failed SQLite's integrity check")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source}: {error}") from error
    finally:
        dst.close()
        src.close()


def _run(command: list[str], db: dict[str, Any]) -> None:
    """Run a PostgreSQL client tool against the configured database (its password in the
    environment, never on the command line)."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (the PostgreSQL client tools, of the server's"
            " major version or newer)"
        )
    env = {
        **os.environ,
        "PGHOST": str(db.get("HOST") or ""),
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": str(db.get("USER") or ""),
        "PGPASSWORD": str(db.get("PASSWORD") or ""),
        "PGDATABASE": str(db["NAME"]),
    }
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed: {reason}")
