"""When the database is busy, full or gone: 503 with Retry-After, never an HTML 500.

A write that fails because SQLite stayed locked past its timeout, because the disk (or the
database) is full, or because the database cannot be reached did nothing: the transaction
rolled back. The reader is told so and when to try again: `application/problem+json` for the
API and the box's script, and for a form posted without JavaScript a page that holds the
reader's text in a form that sends it again. One line goes to the log, at most once a minute
per kind and process (a full disk should not also fill up with tracebacks), and the health
endpoint (config/health.py) reports the condition.

`database_fault` recognises the condition from the driver's own error codes (SQLite's
result codes, PostgreSQL's SQLSTATE classes and refused connections), not from our code.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from rejoinder.web.responses import problem, wants_fragment

log = logging.getLogger("rejoinder.faults")

BUSY, FULL, UNAVAILABLE = "database_busy", "disk_full", "database_unavailable"
RETRY_AFTER = {BUSY: 1, FULL: 60, UNAVAILABLE: 10}
# A refusal for lack of space is remembered this long, for the health endpoint.
REMEMBER_SECONDS = 600
LOG_EVERY_SECONDS = 60.0
# Form fields shown back to the reader as text to keep; every other field rides along hidden.
KEPT_TEXT_FIELDS = ("body", "note")
_NEVER_ECHOED = ("csrfmiddlewaretoken", "password")

# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_FULL, _SQLITE_CANTOPEN = 13, 14
# PostgreSQL SQLSTATEs: 53100 disk_full; class 08 connection exceptions, 57P01-57P03 the
# server shutting down or starting; 40001/40P01/55P03 a conflict that a retry resolves.
_PG_FULL = {"53100"}
_PG_BUSY = {"40001", "40P01", "55P03", "53300"}
_PG_UNAVAILABLE_PREFIXES = ("08", "57P")


@dataclass(frozen=True)
class Fault:
    """A database condition that refuses requests for a while; nothing was written."""

    kind: str
    title: str
    detail: str
    reason: str  # the driver's message, for the log

    @property
    def retry_after(self) -> int:
        return RETRY_AFTER[self.kind]


def _fault(kind: str, reason: str) -> Fault:
    if kind == FULL:
        return Fault(
            kind,
            _("Storage full"),
            _(
                "The server has run out of storage space, so nothing was saved. Your text is "
                "kept; try again later."
            ),
            reason,
        )
    if kind == BUSY:
        return Fault(
            kind, _("Busy"), _("The server is busy; nothing was saved. Try again."), reason
        )
    return Fault(
        kind,
        _("Service unavailable"),
        _(
            "The database cannot be reached at the moment, so nothing was saved. Your text is "
            "kept; try again in a little while."
        ),
        reason,
    )


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def database_fault(exc: BaseException) -> Fault | None:
    """Return the fault `exc` reports, or None when it is an ordinary error (a bug: 500)."""
    chain = _chain(exc)
    for error in chain:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return _fault(FULL, reason)
        if isinstance(error, sqlite3.Error):
            code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
            if code == _SQLITE_FULL:
                return _fault(FULL, reason)
            if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
                return _fault(BUSY, reason)
            if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN, _SQLITE_READONLY):
                return _fault(UNAVAILABLE, reason)
        if type(error).__module__.split(".")[0] == "psycopg":
            state = getattr(error, "sqlstate", None)
            if state in _PG_FULL:
                return _fault(FULL, reason)
            if state in _PG_BUSY:
                return _fault(BUSY, reason)
            if state is None and type(error).__name__ in ("OperationalError", "InterfaceError"):
                return _fault(UNAVAILABLE, reason)  # no connection: refused, lost or closed
            if state is not None and state.startswith(_PG_UNAVAILABLE_PREFIXES):
                return _fault(UNAVAILABLE, reason)
    if isinstance(exc, InterfaceError):
        return _fault(UNAVAILABLE, str(exc) or "connection closed")
    if isinstance(exc, DatabaseError) and len(chain) == 1:
        # Raised without the driver's error (older callers): judged by the message alone.
        message = str(exc)
        if "locked" in message or "busy" in message:
            return _fault(BUSY, message)
        if "database or disk is full" in message:
            return _fault(FULL, message)
    return None


_logged: dict[str, tuple[float, int]] = {}
_log_lock = threading.Lock()


def record(fault: Fault) -> None:
    """Log the fault in one line (at most once a minute per kind here) and remember it."""
    now = time.monotonic()
    with _log_lock:
        last, skipped = _logged.get(fault.kind, (-LOG_EVERY_SECONDS, 0))
        if now - last < LOG_EVERY_SECONDS:
            _logged[fault.kind] = (last, skipped + 1)
            line = None
        else:
            _logged[fault.kind] = (now, 0)
            more = f" ({skipped} more since the last line)" if skipped else ""
            line = f"{_LOG_LINES[fault.kind]}: {fault.reason}{more}"
    if line is not None:
        log.error(line)
    with contextlib.suppress(Exception):  # a cache that fails too must not hide the answer
        cache.set(f"rejoinder-fault:{fault.kind}", timezone.now().isoformat(), REMEMBER_SECONDS)


_LOG_LINES = {
    FULL: "Storage full: writes are refused with 503 until space is freed",
    BUSY: "Database busy past its timeout: requests are refused with 503",
    UNAVAILABLE: "Database unavailable: requests are refused with 503",
}


def last_seen(kind: str) -> str | None:
    """Return when a request last met this fault (ISO 8601), if within REMEMBER_SECONDS."""
    try:
        value = cache.get(f"rejoinder-fault:{kind}")
    except Exception:
        return None
    return str(value) if value else None


def _is_form_post(request: HttpRequest) -> bool:
    return request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )


def _kept_fields(request: HttpRequest) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the posted fields to show as text and those to send again hidden."""
    shown: list[tuple[str, str]] = []
    hidden: list[tuple[str, str]] = []
    try:
        items = list(request.POST.lists())
    except Exception:  # an unreadable body: nothing to keep
        return [], []
    for name, values in items:
        if any(word in name.lower() for word in _NEVER_ECHOED):
            continue
        for value in values:
            (shown if name in KEPT_TEXT_FIELDS else hidden).append((name, value))
    return shown, hidden


def fault_response(request: HttpRequest, fault: Fault) -> HttpResponse:
    """Answer a request refused by `fault`: 503 with Retry-After, in the form the client reads."""
    if request.path.startswith("/api/") or wants_fragment(request):
        response: HttpResponse = problem(503, fault.title, fault.detail, fault=fault.kind)
    else:
        form = None
        if _is_form_post(request):
            shown, hidden = _kept_fields(request)
            form = {
                "action": request.get_full_path(),
                "shown": shown,
                "hidden": hidden,
                "csrf_token": get_token(request),
            }
        context = {"fault": fault, "form": form}
        response = render(request, "config/unavailable.html", context, status=503)
    response["Retry-After"] = str(fault.retry_after)
    response["Cache-Control"] = "no-store"
    # record() wrote the one line this deserves; Django would add another for every 5xx.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def answer_fault(request: HttpRequest, exc: BaseException) -> HttpResponse | None:
    """Return the 503 answer when `exc` is a database fault (recorded), else None."""
    fault = database_fault(exc)
    if fault is None:
        return None
    record(fault)
    return fault_response(request, fault)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    """The 500 handler: a fault raised outside a view (a middleware, a commit) is still a 503.

    Django calls it while handling the exception, so `sys.exc_info()` holds it. API requests
    get problem+json for a real 500 too.
    """
    exc = sys.exc_info()[1]
    if exc is not None:
        answer = answer_fault(request, exc)
        if answer is not None:
            return answer
    if request.path.startswith("/api/"):
        return problem(
            500, _("Server error"), _("Something went wrong on the server; it was logged.")
        )
    return defaults.server_error(request)
