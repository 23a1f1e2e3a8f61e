"""Cross-site and malformed-request protection for the JSON API (security.md rules 4 and 5).

A state change must be `application/json` (UTF-8) from an allowed origin: browsers cannot send
that cross-site without a CORS preflight we would refuse, so cookies cannot be ridden.
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from rejoinder.config.middleware import problem
from rejoinder.pages.models import Site

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def allowed_origins() -> set[str]:
    """Return the origins allowed to write: this server's and every site's embedding origins."""
    origins = {settings.PUBLIC_URL}
    for raw in Site.objects.values_list("allowed_origins", flat=True):
        origins.update(o.strip().rstrip("/") for o in raw.splitlines() if o.strip())
    return origins


def refuse_unsafe_write(request: HttpRequest) -> HttpResponse | None:
    """Return a problem response if an API write is not JSON, not UTF-8, or cross-site."""
    if request.method not in WRITE_METHODS:
        return None
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin.rstrip("/") not in allowed_origins() and origin != _own_origin(request):
        return problem(
            403,
            _("Forbidden"),
            _("Requests from the origin %(origin)s are not allowed.") % {"origin": origin},
        )
    if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site" and not origin:
        return problem(403, _("Forbidden"), _("Cross-site requests need an Origin header."))
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
    try:
        json.loads(text)
    except ValueError as exc:
        return problem(
            400,
            _("Bad request"),
            _("The request body is not valid JSON: %(error)s.") % {"error": exc},
        )
    return None


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
