"""Test settings: the real settings, in a non-UTC time zone so time handling bugs show."""

import os

os.environ.setdefault("REJOINDER_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from rejoinder.config.settings import *  # noqa: F403

TIME_ZONE = "America/Sao_Paulo"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins only

# SQLite tests run on a file, as production does: several connections (live server threads,
# concurrent workers) then share it through WAL and the write lock, not an in-memory cache.
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE and not DATABASES["default"]["TEST"]["NAME"]:  # noqa: F405
    DATABASES["default"]["TEST"]["NAME"] = str(DATA_DIR / "test.sqlite3")  # noqa: F405
