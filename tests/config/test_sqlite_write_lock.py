"""The SQLite backend queues writers on a file lock held from BEGIN to COMMIT or ROLLBACK."""

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rejoinder.config.sqlite_backend.base import DatabaseWrapper


@pytest.fixture
def sqlite_file(tmp_path: Path, django_db_blocker) -> Iterator[tuple[DatabaseWrapper, Path]]:  # type: ignore[no-untyped-def]
    name = str(tmp_path / "db.sqlite3")
    config = {
        "ENGINE": "rejoinder.config.sqlite_backend",
        "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        "TEST": {},
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }
    with django_db_blocker.unblock():
        db = DatabaseWrapper(config, alias="locktest")
        db.ensure_connection()
        db.cursor().execute("CREATE TABLE t (x INTEGER)")
        yield db, Path(f"{name}.writelock")
        db.close()


def _lock_is_free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_the_write_lock_is_held_for_the_transaction_only(
    sqlite_file: tuple[DatabaseWrapper, Path], ending: str
) -> None:
    db, lock = sqlite_file
    assert _lock_is_free(lock)
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    db.cursor().execute("INSERT INTO t VALUES (1)")
    assert not _lock_is_free(lock)
    getattr(db, ending)()
    db.set_autocommit(True)
    assert _lock_is_free(lock)
    (stored,) = db.cursor().execute("SELECT count(*) FROM t").fetchone()
    assert stored == (1 if ending == "commit" else 0)
