"""`Idempotency-Key` on every API write: a retry gets the first answer and does nothing else.

A client that sends a write and never sees the answer (a dropped connection, a timeout, a
503 after the commit) cannot tell whether it happened. With the same `Idempotency-Key` on
the retry it need not know: the first answer that succeeded (2xx) is stored with the key, in
the transaction of the write itself, and a retry from the same sender with the same key and
the same request gets that answer back (status, body and cookies, with
`Idempotent-Replayed: true`) without running again. Rate limits are not counted again either.

- The key is scoped to its sender and endpoint (method and path): the reader
  (`X-Rejoinder-Reader` or the cookie), else the signed-in moderator, else the client's
  address (a first write, which has no reader yet). On another endpoint it is another key.
- The same key on the same endpoint with another body is refused with 422 naming the
  header; a malformed key is a 400.
- A refused or failed request (4xx, 5xx) stores nothing: the retry runs again.
- Two requests with one key at the same time: the second waits for the first's transaction
  (SQLite's write lock, PostgreSQL's unique index) and then gets its answer.
- Keys are kept IDEMPOTENCY_KEY_HOURS (24) and purged by the worker (`purge_idempotency_keys`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from http.cookies import SimpleCookie

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.api.models import IdempotentRequest
from rejoinder.request_identity import ip_hash, reader_key
from rejoinder.web.responses import problem

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
API_PREFIX = "/api/v1/"
# POST /counts reads counts with a JSON body: not a write, nothing to replay.
NOT_WRITES = {"/api/v1/counts"}
# Visible ASCII, as the IETF draft's sf-string allows; a UUID is 36 characters.
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_PURGE_CHUNK = 1000

Handler = Callable[[HttpRequest], HttpResponse]


FORM_KEY_FIELD = "form_key"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_form_post(request: HttpRequest) -> bool:
    """Tell whether a request is a form posted to one of the box's endpoints with its key."""
    return (
        request.method == "POST"
        and not request.path.startswith(API_PREFIX)
        and request.content_type in _FORM_TYPES
        and FORM_KEY_FIELD in request.POST
    )


def applies_to(method: str, path: str) -> bool:
    """Tell whether a request is an API write that takes an Idempotency-Key."""
    return method in WRITE_METHODS and path.startswith(API_PREFIX) and path not in NOT_WRITES


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _owner(request: HttpRequest) -> str:
    reader = reader_key(request)
    if reader:
        return _digest("reader", reader)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _digest("user", str(user.pk))
    return _digest("address", ip_hash(request))


def forget_readers(reader_keys: tuple[str, ...]) -> int:
    """Delete the stored answers to these readers' writes (their data was erased)."""
    owners = [_digest("reader", key) for key in reader_keys]
    deleted, _counts = IdempotentRequest.objects.filter(owner__in=owners).delete()
    return deleted


def _expiry(now: datetime) -> datetime:
    return now - timedelta(hours=settings.REJOINDER["IDEMPOTENCY_KEY_HOURS"])


def _replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(stored.body), status=stored.status or 200, content_type=stored.content_type or None
    )
    if not stored.content_type:
        del response["Content-Type"]
    if stored.cookies:
        response.cookies.load(stored.cookies)
    if stored.location:
        response["Location"] = stored.location
    response[REPLAYED_HEADER] = "true"
    return response


def _refuse_other_request(stored: IdempotentRequest) -> HttpResponse:
    return problem(
        422,
        _("Idempotency-Key reused"),
        _(
            "This Idempotency-Key was already used for %(method)s %(path)s with another body. "
            "Send a new key with a new request."
        )
        % {"method": stored.method, "path": stored.path},
        field=HEADER,
    )


def _cookies(response: HttpResponse) -> str:
    cookies = SimpleCookie()
    for name, morsel in response.cookies.items():
        cookies[name] = morsel
    return cookies.output(header="", sep="\n").strip()


class IdempotencyMiddleware:
    """Apply `Idempotency-Key` to API writes (place it after authentication)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(META_KEY)
        if key is None and _is_form_post(request):
            return self._form(request)
        if key is None or not applies_to(request.method or "", request.path):
            return self.get_response(request)
        if not _VALID_KEY.fullmatch(key):
            return problem(
                400,
                _("Bad request"),
                _(
                    "The Idempotency-Key header must be 1 to 255 visible ASCII characters "
                    "(a UUID, for example)."
                ),
                field=HEADER,
            )
        path = request.get_full_path()
        fingerprint = _digest(request.method or "", path, request.body)
        return self._once(request, key, fingerprint, stored_statuses=range(200, 300))

    def _form(self, request: HttpRequest) -> HttpResponse:
        """A comment form posted with its key: the same form again gets the first answer (its
        redirect, or the script's fragment); another text with a reused key (a page kept by the
        browser) is simply a new comment."""
        key = request.POST.get(FORM_KEY_FIELD, "")
        if not _VALID_KEY.fullmatch(key):
            return self.get_response(request)
        fields = sorted(
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        )
        fingerprint = _digest(request.method or "", request.get_full_path(), repr(fields))
        return self._once(request, key, fingerprint, stored_statuses=range(200, 400))

    def _once(
        self, request: HttpRequest, key: str, fingerprint: str, *, stored_statuses: range
    ) -> HttpResponse:
        form = request.META.get(META_KEY) is None
        # A form's key is a secret of one rendered form, not the reader's choice: its first post
        # may give the reader their token, so the owner is the form itself.
        owner = _digest("form") if form else _owner(request)
        path = request.get_full_path()
        with transaction.atomic():
            now = timezone.now()
            mine = IdempotentRequest.objects.filter(
                owner=owner, key=key, method=request.method or "", path=path[:500]
            )
            mine.filter(created_at__lt=_expiry(now)).delete()
            record = IdempotentRequest(
                owner=owner,
                key=key,
                method=request.method or "",
                path=path[:500],
                fingerprint=fingerprint,
                created_at=now,
            )
            try:
                with transaction.atomic():
                    record.save(force_insert=True)
            except IntegrityError:
                # Answered before (or just now, by a request we waited for).
                stored = mine.get()
                if stored.fingerprint != fingerprint:
                    if form:
                        return self.get_response(request)
                    return _refuse_other_request(stored)
                return _replay(stored)
            response = self.get_response(request)
            if response.status_code in stored_statuses and not response.streaming:
                IdempotentRequest.objects.filter(pk=record.pk).update(
                    status=response.status_code,
                    content_type=response.get("Content-Type", ""),
                    body=response.content,
                    cookies=_cookies(response),
                    location=response.get("Location", "")[:2000],
                )
            elif response.status_code >= 500:
                transaction.set_rollback(True)  # the write failed: keep nothing of it
            else:
                # Refused (4xx): what the refusal itself recorded stays, the key does not.
                IdempotentRequest.objects.filter(pk=record.pk).delete()
        return response


def purge_idempotency_keys(now: datetime | None = None) -> int:
    """Delete keys older than IDEMPOTENCY_KEY_HOURS; return how many (a worker step)."""
    old = IdempotentRequest.objects.filter(created_at__lt=_expiry(now or timezone.now()))
    deleted = 0
    while True:
        ids = list(old.values_list("id", flat=True)[:_PURGE_CHUNK])
        if not ids:
            return deleted
        deleted += IdempotentRequest.objects.filter(id__in=ids).delete()[0]
