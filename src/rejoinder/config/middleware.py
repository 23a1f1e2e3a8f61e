"""Cross-cutting HTTP rules: security headers and request hardening (security.md 5, 11, 13)."""

import secrets
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

Handler = Callable[[HttpRequest], HttpResponse]
API_DOCS_PATH = "/api/v1/docs"


class SecurityHeadersMiddleware:
    """Give every response a CSP (scripts from self or by nonce) and the other safety headers."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(12)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            # Swagger UI sets inline styles; scripts stay restricted there too.
            styles = "'self' 'unsafe-inline'" if request.path == API_DOCS_PATH else "'self'"
            response["Content-Security-Policy"] = (
                f"default-src 'self'; script-src 'self' 'nonce-{request.csp_nonce}'; "  # type: ignore[attr-defined]
                f"style-src {styles}; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                "form-action 'self'; frame-ancestors 'none'"
            )
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Expose the response's CSP nonce to templates."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


def problem(status: int, title: str, detail: str, **extra: object) -> JsonResponse:
    """Build an RFC 9457 application/problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type="application/problem+json")


class RequestGuardMiddleware:
    """Refuse malformed requests before any parsing, and turn SQLite lock timeouts into 503.

    A query string that is not UTF-8 or carries NUL bytes is refused here, once, so no view
    has to think about it. "database is locked" after the busy timeout is a load condition,
    not a bug: the client gets 503 with Retry-After and nothing was written.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if "%00" in raw_query or "\x00" in raw_query:
            return self._bad(request, _("The query string contains a NUL byte."))
        try:
            unquote_to_bytes(raw_query).decode("utf-8")
        except UnicodeDecodeError:
            return self._bad(request, _("The query string is not valid UTF-8."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer 503 with Retry-After when SQLite stayed locked past the busy timeout."""
        if not isinstance(exception, OperationalError):
            return None
        if "locked" not in str(exception) and "busy" not in str(exception):
            return None
        response = self._respond(request, 503, _("Busy"), _("The server is busy; try again."))
        response["Retry-After"] = "1"
        return response

    def _bad(self, request: HttpRequest, detail: str) -> HttpResponse:
        return self._respond(request, 400, _("Bad request"), detail)

    @staticmethod
    def _respond(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return problem(status, title, detail)
        return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
