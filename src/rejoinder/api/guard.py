"""Cross-site and malformed-request protection for the JSON API (docs/security.md, rules 4, 5).

A state change must be `application/json` (UTF-8) from an allowed origin: browsers cannot send
that cross-site without a CORS preflight we would refuse, so cookies cannot be ridden.

Where a write comes from is read from `Origin`; when a browser leaves that out, from `Referer`,
then from `Sec-Fetch-Site`. A request with none of them is a non-browser client and passes.
The body must be JSON nested no deeper than MAX_JSON_DEPTH whose strings are all valid Unicode;
anything else is refused here, before a view or the domain sees it.
"""

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from rejoinder.pages.embedding import origin_of
from rejoinder.pages.models import Site
from rejoinder.web.responses import problem

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# No request of this API nests deeper than three levels; refusing deep nesting before parsing
# keeps the parser (and anything that walks the result) far from Python's recursion limit.
MAX_JSON_DEPTH = 32
# A JSON string, with its escapes (the unrolled form runs in linear time).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
# Escapes of what no stored text may hold: NUL (PostgreSQL's text type cannot store it) and a
# \uD800-\uDFFF surrogate (only a pair makes a character; a lone one is not text).
_NOT_TEXT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def allowed_origins() -> set[str]:
    """Return the origins allowed to write: this server's and every site's embedding origins."""
    origins = {settings.PUBLIC_URL.lower()}
    for raw in Site.objects.values_list("allowed_origins", flat=True):
        origins.update(o.strip().rstrip("/").lower() for o in raw.splitlines() if o.strip())
    return origins


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Tell whether the JSON `text` nests arrays and objects deeper than `limit`, without parsing it."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def not_text_at(value: Any, path: str = "") -> str | None:
    """Return the path (`body`, `passage.exact`, `uris[2]`) of the first string in a parsed JSON
    value that holds a NUL or an unpaired surrogate, or None when every string is storable text."""
    if isinstance(value, str):
        return (path or "body") if _NOT_TEXT.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _NOT_TEXT.search(key):
                return path or "body"
            found = not_text_at(item, where)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = not_text_at(item, f"{path}[{index}]")
            if found:
                return found
    return None


def _is_allowed(origin: str, request: HttpRequest) -> bool:
    origin = origin.strip().rstrip("/").lower()
    return origin == _own_origin(request).lower() or origin in allowed_origins()


def refuse_cross_site(request: HttpRequest) -> HttpResponse | None:
    """Return a 403 problem unless a write comes from this server, an allowed origin, or a
    non-browser client (no `Origin`, `Referer` or cross-site `Sec-Fetch-Site` at all)."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        if _is_allowed(origin, request):
            return None
        return problem(
            403,
            _("Forbidden"),
            _("Requests from the origin %(origin)s are not allowed.") % {"origin": origin},
        )
    referer = request.META.get("HTTP_REFERER")
    if referer:
        referring = origin_of(referer)
        if referring is not None and _is_allowed(referring, request):
            return None
        return problem(
            403,
            _("Forbidden"),
            _("Requests from pages on %(origin)s are not allowed.")
            % {"origin": referring or _("an unknown origin")},
        )
    if request.META.get("HTTP_SEC_FETCH_SITE") in ("cross-site", "same-site"):
        return problem(403, _("Forbidden"), _("Cross-site requests need an Origin header."))
    return None


def refuse_unsafe_write(request: HttpRequest) -> HttpResponse | None:
    """Return a problem response if an API write is not JSON, not UTF-8, or cross-site."""
    if request.method not in WRITE_METHODS:
        return None
    refused = refuse_cross_site(request)
    if refused is not None:
        return refused
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    if not declared.isdigit() or int(declared) > limit:
        return problem(
            413,
            _("Request too large"),
            _("The request body must be at most %(limit)d bytes.") % {"limit": limit},
        )
    if request.method == "DELETE" and not declared.strip("0"):
        return None
    content_type, _sep, params = request.META.get("CONTENT_TYPE", "").partition(";")
    if content_type.strip().lower() != "application/json":
        return problem(
            415,
            _("Unsupported media type"),
            _("Send the request body as JSON with the header Content-Type: application/json."),
        )
    charset = params.strip().lower().removeprefix("charset=").strip('"')
    if params.strip() and charset not in ("utf-8", "utf8"):
        return problem(415, _("Unsupported media type"), _("Only the UTF-8 charset is accepted."))
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, _("Bad request"), _("The request body is not valid UTF-8."))
    if json_too_deep(text):
        return problem(
            400,
            _("Bad request"),
            _("The JSON in the request body is nested more than %(limit)d levels deep.")
            % {"limit": MAX_JSON_DEPTH},
        )
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        return problem(
            400,
            _("Bad request"),
            _("The request body is not valid JSON: %(error)s.") % {"error": exc},
        )
    field = not_text_at(data) if _NOT_TEXT_ESCAPE.search(text) else None
    if field is not None:
        return problem(
            400,
            _("Bad request"),
            _(
                "`%(field)s` holds a NUL (\\u0000) or an unpaired surrogate escape "
                "(\\ud800-\\udfff), which are not text: send the text as valid Unicode "
                "without NUL."
            )
            % {"field": field},
            field=field,
        )
    return None


def _refuse_constant(name: str) -> float:
    # Python's parser takes NaN and Infinity, which JSON does not have; no field here wants them.
    raise ValueError(_("%(name)s is not a JSON value") % {"name": name})


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


class ApiGuardMiddleware:
    """Apply `refuse_unsafe_write` to every /api/ request before any view parses it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            refused = refuse_unsafe_write(request)
            if refused is not None:
                return refused
        return self.get_response(request)
