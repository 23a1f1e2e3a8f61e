"""Test settings: the real settings, in a non-UTC time zone so time handling bugs show."""

import os

os.environ.setdefault("REJOINDER_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from rejoinder.config.settings import *  # noqa: F403

TIME_ZONE = "America/Sao_Paulo"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins only
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
