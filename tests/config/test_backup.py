"""The restore drill: back up while the server serves, write more, restore, and find exactly
what was there at the backup's moment. On the configured database: PostgreSQL (pg_dump and
pg_restore) under scripts/with-postgres, as `make test` runs it, or a SQLite file (sqlite3's
online backup API) otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from tests.servers import served, server_env

pytestmark = pytest.mark.processes

STATE = """
import json, os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")
django.setup()
from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page
page = Page.objects.get(uri=sys.argv[1])
print(json.dumps({
    "comments": sorted(Comment.objects.filter(page=page).values_list("body", flat=True)),
    "comment_count": page.comment_count,
}))
"""


def _post(base: str, uri: str, body: str) -> None:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/comments",
        data=json.dumps({"uri": uri, "name": "Ana", "body": body}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201


def _rejoinder(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "rejoinder", *args],
        env=server_env(data_dir, RATE_LIMITS="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _state(data_dir: Path, uri: str) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", STATE, uri],
        env=server_env(data_dir, RATE_LIMITS="0"),
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout))


def test_a_backup_restored_holds_exactly_what_was_there_when_it_was_made(tmp_path: Path) -> None:
    uri = f"/backup-drill/{uuid.uuid4().hex[:8]}/"
    with served(tmp_path, uri, RATE_LIMITS="0") as server:
        for n in range(3):
            _post(server.base, uri, f"Before the backup {n}")
        (tmp_path / "backups").mkdir()
        made = _rejoinder(tmp_path, "backup", str(tmp_path / "backups"))  # while it serves
        assert made.returncode == 0, made.stderr
        backup = Path(made.stdout.strip())
        assert backup.parent == tmp_path / "backups"
        assert backup.is_file()
        assert not list(backup.parent.glob(".*partial"))
        at_backup = _state(tmp_path, uri)
        for n in range(2):
            _post(server.base, uri, f"After the backup {n}")
    assert len(_state(tmp_path, uri)["comments"]) == 5  # type: ignore[arg-type]

    unconfirmed = _rejoinder(tmp_path, "restore", str(backup))
    assert unconfirmed.returncode == 2
    assert "--yes" in unconfirmed.stderr
    assert len(_state(tmp_path, uri)["comments"]) == 5  # type: ignore[arg-type]

    restored = _rejoinder(tmp_path, "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _state(tmp_path, uri) == at_backup
    assert at_backup == {
        "comments": [f"Before the backup {n}" for n in range(3)],
        "comment_count": 3,
    }
    # The restored database serves, and takes new comments.
    with served(tmp_path, uri, RATE_LIMITS="0") as server:
        _post(server.base, uri, "After the restore")
        with urllib.request.urlopen(f"{server.base}/api/v1/counts?uri={uri}") as answer:  # noqa: S310
            assert json.load(answer)["counts"][uri] == 4


def test_bad_backup_and_restore_requests_exit_with_one_line_saying_why(tmp_path: Path) -> None:
    nothing = _rejoinder(tmp_path, "restore", str(tmp_path / "missing.backup"), "--yes")
    assert nothing.returncode == 1
    assert nothing.stderr.strip().splitlines() == [
        f"rejoinder restore: no backup file at {tmp_path / 'missing.backup'}"
    ]
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    refused = _rejoinder(tmp_path, "restore", str(junk), "--yes")
    assert refused.returncode == 1
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("rejoinder restore: ")
    assert "is not a" in line
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    unwritable = _rejoinder(tmp_path, "backup", str(blocked / "backup"))
    assert unwritable.returncode == 1
    [line] = unwritable.stderr.strip().splitlines()
    assert line.startswith("rejoinder backup: ")
