"""Avatar pictures from Gravatar/Libravatar, fetched by the server for a site that opts in.

The reader's browser never contacts the avatar source and never sees a hash of an email: the
box shows /avatars/<token>, where the token is a keyed hash of the site and the address's hash,
and the pictures are fetched by this server (only the sha256 of the address leaves it) and kept
on disk under the data directory for a day, misses included. The box decides before it renders:
it shows the picture only when the store already holds one for the token, else the initials,
and asks for the picture in the background; so a miss, a slow source or a bad answer never
shows a broken image and never fails a page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.utils.crypto import salted_hmac

from rejoinder.accounts.models import Account
from rejoinder.accounts.ways import offered_ways
from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Site

log = logging.getLogger(__name__)

PICTURE_SIZE = 80
MAX_PICTURE_BYTES = 100 * 1024
FETCH_TIMEOUT_SECONDS = 3
KEEP_SECONDS = 24 * 60 * 60
PICTURE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

# One fetch at a time per process: warming is a courtesy, never a load on the source.
_fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="avatar-fetch")
_pending: set[str] = set()
_pending_lock = threading.Lock()


def pictures_by_author(site: Site, author_ids: Iterable[int]) -> dict[int, str]:
    """Return {commenter id: picture token} for the authors whose picture the store holds.

    Nothing (and no query) unless the site shows pictures. An author's address is the one
    they gave as a guest, else their account's. Pictures not known yet, or known for more than
    a day, are fetched in the background; those authors show their initials meanwhile.
    """
    if not offered_ways(site).avatar_pictures:
        return {}
    site_id = site.pk
    ids = set(author_ids)
    emails = dict(Commenter.objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email"))
    accounts = Account.objects.filter(commenter_id__in=ids - emails.keys()).exclude(email="")
    emails.update(accounts.values_list("commenter_id", "email"))
    tokens = {}
    for author_id, email in emails.items():
        token = picture_token(site_id, email)
        if not is_fresh(token):
            fetch_later(site_id, email)
        if stored_picture(token) is not None:
            tokens[author_id] = token
    return tokens


def email_hash(email: str) -> str:
    """The hash the avatar source knows an address by: sha256 of the trimmed, lowercased address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def picture_token(site_id: int, email: str) -> str:
    """The opaque name of an address's picture on one site: a keyed hash, not the email hash."""
    value = f"{site_id}:{email_hash(email)}"
    return salted_hmac("rejoinder.accounts.avatars", value).hexdigest()[:32]


def _store() -> Path:
    return Path(settings.DATA_DIR) / "avatars"


def _path(token: str) -> Path | None:
    if len(token) != 32 or any(c not in "0123456789abcdef" for c in token):
        return None
    return _store() / token


def stored_picture(token: str) -> tuple[str, bytes] | None:
    """The stored picture of a token as (content type, bytes); None when none is known."""
    path = _path(token)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    content_type, _, body = data.partition(b"\n")
    if content_type.decode("ascii", "replace") not in PICTURE_TYPES or not body:
        return None
    return content_type.decode("ascii"), body


def is_fresh(token: str) -> bool:
    """Whether the store has a day-old-or-newer answer (picture or miss) for a token."""
    path = _path(token)
    try:
        return path is not None and time.time() - path.stat().st_mtime < KEEP_SECONDS
    except OSError:
        return False


def _download(hashed: str) -> tuple[str, bytes] | None:
    source = settings.REJOINDER["AVATAR_SOURCE"].rstrip("/")
    url = f"{source}/avatar/{hashed}?s={PICTURE_SIZE}&d=404"
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as answer:  # noqa: S310
            content_type = answer.headers.get_content_type()
            if answer.status != 200 or content_type not in PICTURE_TYPES:
                return None
            body = answer.read(MAX_PICTURE_BYTES + 1)
    except (OSError, ValueError, urllib.error.URLError) as error:
        log.info("avatar source did not answer: %s", error)
        return None
    if not body or len(body) > MAX_PICTURE_BYTES:
        return None
    return content_type, body


def fetch_picture(site_id: int, email: str) -> bool:
    """Fetch an address's picture from the avatar source and store it (or the miss) for a day.

    Returns whether a picture was found. Any failure (404, timeout, oversize, another type)
    counts as a miss: the initials are shown.
    """
    token = picture_token(site_id, email)
    found = _download(email_hash(email))
    store = _store()
    store.mkdir(parents=True, exist_ok=True)
    content = b"" if found is None else found[0].encode("ascii") + b"\n" + found[1]
    handle, temporary = tempfile.mkstemp(dir=store, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, store / token)
    return found is not None


def fetch_later(site_id: int, email: str) -> Future[bool] | None:
    """Fetch an address's picture in the background, so no page waits for the source.

    Returns None when that picture is already on its way.
    """
    token = picture_token(site_id, email)
    with _pending_lock:
        if token in _pending:
            return None
        _pending.add(token)

    def fetch() -> bool:
        try:
            return fetch_picture(site_id, email)
        finally:
            with _pending_lock:
                _pending.discard(token)

    return _fetcher.submit(fetch)
