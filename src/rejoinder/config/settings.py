"""Settings for Rejoinder, read from REJOINDER_* environment variables.

Every knob has a safe default and is documented once in docs/configuration.md.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.management.utils import get_random_secret_key


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"REJOINDER_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name, "1" if default else "0").strip().lower()
    return raw in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _env_float(name: str, default: float) -> float:
    return float(_env(name, str(default)))


DATA_DIR = Path(_env("DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = _env_bool("DEBUG", False)


def _secret_key() -> tuple[str, str]:
    """Return the secret key and where it came from ("environment", "file" or "blank").

    REJOINDER_SECRET_KEY when set; otherwise a key generated once and kept in the data
    directory: every server process must sign reader tokens with the same key, so it is
    written to disk (mode 600) rather than drawn per process. A variable that is set but
    blank (a secret missing from the deployment's environment) also falls back to the file,
    so that commands still start, and `rejoinder serve` refuses to run (config/checks.py).
    """
    if _env("SECRET_KEY").strip():
        return _env("SECRET_KEY").strip(), "environment"
    source = "blank" if "REJOINDER_SECRET_KEY" in os.environ else "file"
    path = DATA_DIR / "secret.key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process wrote it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(get_random_secret_key())
    return path.read_text().strip(), source


SECRET_KEY, _SECRET_KEY_SOURCE = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in _env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
PUBLIC_URL = _env("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "rejoinder.config",  # the deployment checks `rejoinder serve` runs
    "rejoinder.limits",
    "rejoinder.pages",
    "rejoinder.comments",
    "rejoinder.accounts",
    "rejoinder.ratings",
    "rejoinder.inline",
    "rejoinder.moderation",
    "rejoinder.outbox",
    "rejoinder.subscriptions",
    "rejoinder.notices",
    "rejoinder.widget",
    "rejoinder.live",
    "rejoinder.articles",
    "rejoinder.readers",
    "rejoinder.api",
    "rejoinder.privacy",
    "rejoinder.portability",
    "rejoinder.demo",  # after outbox: its admin extends the outbox's
]

MIDDLEWARE = [
    "rejoinder.config.middleware.PublicGZipMiddleware",  # first: compresses the final body
    "rejoinder.config.middleware.FormKeyMiddleware",  # then: fills each form's key in
    "rejoinder.config.middleware.SecurityHeadersMiddleware",
    "rejoinder.config.language.LanguageMiddleware",  # before the guards: they explain refusals
    "rejoinder.config.middleware.RequestGuardMiddleware",
    "rejoinder.api.guard.ApiGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it needs the reader and the moderator, and runs the view in the key's transaction.
    "rejoinder.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "rejoinder.config.urls"
WSGI_APPLICATION = "rejoinder.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rejoinder.config.middleware.csp_nonce",
                "rejoinder.config.language.site_theme",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = _env("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        )
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["ENGINE"] = SQLITE_ENGINE
            config["OPTIONS"] = _SQLITE_OPTIONS
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": SQLITE_ENGINE,
        "NAME": str(DATA_DIR / "rejoinder.sqlite3"),
        # Keep connections: opening one runs the PRAGMAs below, which costs more than a query.
        "CONN_MAX_AGE": None,
        "OPTIONS": _SQLITE_OPTIONS,
        "TEST": {"NAME": _env("TEST_SQLITE_NAME") or None},
    }


# WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two
# writers queue on busy_timeout instead of failing with "database is locked" on upgrade;
# synchronous=FULL makes every committed (2xx) write survive a power cut.
_SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        " PRAGMA cache_size=-20000; PRAGMA temp_store=MEMORY;"
    ),
}

SQLITE_ENGINE = "rejoinder.config.sqlite_backend"  # Django's, with writers queued on a file lock
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis = _env("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            # Redis away is a miss, not an error (config/cache.py); fail fast when it is.
            "BACKEND": "rejoinder.config.cache.ForgivingRedisCache",
            "LOCATION": _redis,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if _redis
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The languages Rejoinder speaks (docs/decisions.md, "Languages"): each has a complete catalogue
# in src/rejoinder/locale, checked by tests/test_translations.py. Names in their own language,
# as a reader looks for them.
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
]
LANGUAGE_CODE = _env("LANGUAGE", "en")
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
TIME_ZONE = _env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise straight from the installed package (the apps'
# static/ folders, found through Django's finders when a process starts): nothing is
# collected, so the data directory holds data only (docs/decisions.md, "Static files").
STATIC_URL = "/static/"
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Request hardening (docs/security.md, rule 5).
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int("MAX_REQUEST_BYTES", 64 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
_https = PUBLIC_URL.startswith("https://")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env("TRUSTED_PROXIES") else None

# Moderators sign in on the moderation app's own page (the admin's requires staff status).
LOGIN_URL = "moderation:sign_in"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "WARNING")},
}

# --- Rejoinder's own knobs ---
REJOINDER: dict[str, Any] = {
    # Where SECRET_KEY came from: "environment", "file" (generated) or "blank" (set but empty).
    "SECRET_KEY_SOURCE": _SECRET_KEY_SOURCE,
    # The address `rejoinder serve` listens on (it sets REJOINDER_BIND from --bind); the
    # deployment checks tell from it whether other machines can reach the server.
    "BIND": _env("BIND", "127.0.0.1:8000"),
    # Peers whose X-Forwarded-For is believed (comma-separated IPs); none by default.
    "TRUSTED_PROXIES": [p.strip() for p in _env("TRUSTED_PROXIES").split(",") if p.strip()],
    "COMMENT_MAX_LENGTH": _env_int("COMMENT_MAX_LENGTH", 5000),
    "NAME_MAX_LENGTH": 60,
    # Writes per window, per reader and per IP: "count/seconds".
    "RATE_POST": _env("RATE_POST", "5/60"),
    "RATE_POST_IP": _env("RATE_POST_IP", "30/60"),
    "RATE_VOTE": _env("RATE_VOTE", "60/60"),
    "RATE_VOTE_IP": _env("RATE_VOTE_IP", "300/60"),
    "RATE_RATING": _env("RATE_RATING", "20/60"),
    "RATE_RATING_IP": _env("RATE_RATING_IP", "120/60"),
    "RATE_SUBSCRIBE": _env("RATE_SUBSCRIBE", "10/3600"),
    "RATE_SUBSCRIBE_IP": _env("RATE_SUBSCRIBE_IP", "30/3600"),
    "RATE_FLAG": _env("RATE_FLAG", "10/3600"),
    "RATE_FLAG_IP": _env("RATE_FLAG_IP", "30/3600"),
    "RATE_SIGN_IN": _env("RATE_SIGN_IN", "10/900"),
    "RATE_SIGN_IN_IP": _env("RATE_SIGN_IN_IP", "30/900"),
    "RATE_LIMITS_ENABLED": _env_bool("RATE_LIMITS", True),
    # At most one moderator alert mail of each kind (queue size, flag) per site in this window.
    "MODERATION_ALERT_WINDOW_SECONDS": _env_int("MODERATION_ALERT_WINDOW_SECONDS", 3600),
    # How often an open moderation page asks for fresh queue counts.
    "MODERATION_POLL_SECONDS": _env_int("MODERATION_POLL_SECONDS", 10),
    # At most one mail per address per page in this window; later comments wait for a digest.
    "NOTIFY_WINDOW_SECONDS": _env_int("NOTIFY_WINDOW_SECONDS", 900),
    "READER_COOKIE": "rj_reader",
    # How long a signed-in reader's session lasts (days); signing out ends it sooner.
    "READER_SESSION_DAYS": _env_int("READER_SESSION_DAYS", 30),
    "RATE_SSO": _env("RATE_SSO", "20/900"),
    "RATE_SSO_IP": _env("RATE_SSO_IP", "60/900"),
    # Sign-in links asked for: per address, and per client address.
    "RATE_EMAIL_SIGN_IN": _env("RATE_EMAIL_SIGN_IN", "3/900"),
    "RATE_EMAIL_SIGN_IN_IP": _env("RATE_EMAIL_SIGN_IN_IP", "20/900"),
    "THREAD_CACHE_SECONDS": _env_int("THREAD_CACHE_SECONDS", 300),
    # Where the server fetches avatar pictures for sites that opt in (accounts/avatars.py).
    "AVATAR_SOURCE": _env("AVATAR_SOURCE", "https://seccdn.libravatar.org"),
    # How long the answer to an API write sent with an Idempotency-Key is kept for retries.
    "IDEMPOTENCY_KEY_HOURS": _env_int("IDEMPOTENCY_KEY_HOURS", 24),
    # Outgoing mail (rejoinder.outbox): one URL, parsed and checked by outbox/transport.py.
    "EMAIL_URL": _env("EMAIL_URL", "smtp://localhost:25"),
    "EMAIL_FROM": _env("EMAIL_FROM", f"Rejoinder <noreply@{urlsplit(PUBLIC_URL).hostname}>"),
    "EMAIL_MAX_ATTEMPTS": _env_int("EMAIL_MAX_ATTEMPTS", 8),
    "EMAIL_SUPPRESS_AFTER": _env_int("EMAIL_SUPPRESS_AFTER", 3),
    "EMAIL_LEASE_SECONDS": _env_int("EMAIL_LEASE_SECONDS", 300),
    "EMAIL_BATCH": _env_int("EMAIL_BATCH", 50),
    "EMAIL_KEEP_DAYS": _env_int("EMAIL_KEEP_DAYS", 30),
    # A Maildir shown under the admin as "Demo mailbox"; `rejoinder demo` sets it. Relative
    # paths are taken from DATA_DIR.
    "DEMO_MAILDIR": DATA_DIR / _env("DEMO_MAILDIR") if _env("DEMO_MAILDIR") else None,
    # `rejoinder serve` (config/front.py): Django's threads per process, requests one client
    # address may have in flight, and how long a request's headers and body may take to arrive.
    "THREADS": _env_int("THREADS", 4),
    "REQUESTS_PER_ADDRESS": _env_int("REQUESTS_PER_ADDRESS", 16),
    "HEADER_TIMEOUT_SECONDS": _env_int("HEADER_TIMEOUT_SECONDS", 10),
    "BODY_TIMEOUT_SECONDS": _env_int("BODY_TIMEOUT_SECONDS", 30),
    # The largest request body read at all (the admin's figure uploads); form posts and API
    # bodies have the smaller MAX_REQUEST_BYTES.
    "MAX_UPLOAD_BYTES": _env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
    # An admin import whose worker has not shown it alive for this long is taken over by the
    # next worker (its transaction died with it); after IMPORT_ATTEMPTS takeovers it fails.
    "IMPORT_LEASE_SECONDS": _env_int("IMPORT_LEASE_SECONDS", 120),
    "IMPORT_ATTEMPTS": _env_int("IMPORT_ATTEMPTS", 3),
    # Live updates (rejoinder.live): Redis pub/sub tells every process of a new event when
    # set (and Redis holds the cache), else PostgreSQL's LISTEN/NOTIFY on PostgreSQL; the
    # event log is read every LIVE_POLL_SECONDS anyway (every 5 s with either, as a safety
    # net; every second on SQLite); streams one process serves at most.
    "REDIS_URL": _redis,
    "LIVE_POLL_SECONDS": _env_float(
        "LIVE_POLL_SECONDS",
        5.0 if _redis or "postgresql" in DATABASES["default"]["ENGINE"] else 1.0,
    ),
    "LIVE_HEARTBEAT_SECONDS": _env_float("LIVE_HEARTBEAT_SECONDS", 20.0),
    "MAX_STREAMS": _env_int("MAX_STREAMS", 5000),
    "STREAMS_PER_ADDRESS": _env_int("STREAMS_PER_ADDRESS", 20),  # over all processes
}
