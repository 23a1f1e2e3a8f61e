"""Cross-cutting HTTP rules: security headers, request hardening, compression, busy database.

See docs/security.md, rules 5, 11, 12 and 14.
"""

import secrets
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from rejoinder.config.faults import answer_fault
from rejoinder.web.responses import problem, wants_fragment

Handler = Callable[[HttpRequest], HttpResponse]
API_DOCS_PATH = "/api/v1/docs"
# The admin uploads article figures, which Django streams to disk outside the body limit.
ADMIN_PATH = "/admin/"
# The moderation page: staff only, like the admin.
STAFF_PATH = "/moderation/"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_URLENCODED = "application/x-www-form-urlencoded"
FORM_MULTIPART = "multipart/form-data"


class PublicGZipMiddleware(GZipMiddleware):
    """Compress public pages and the API; leave the staff pages (moderation, admin) alone.

    BREACH reads a secret out of the compressed size of responses that also reflect the
    attacker's text. The CSRF token is masked afresh in every response, so it is never the same
    bytes twice, and Django adds up to 100 random bytes to each compressed response. The staff
    pages show readers' text (which an attacker writes) beside what only moderators may see,
    and are few and small, so they are not compressed at all. See docs/decisions.md.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path.startswith((ADMIN_PATH, STAFF_PATH)):
            return response
        return super().process_response(request, response)


FORM_KEY_PLACEHOLDER = b"__rj_form_key__"


class FormKeyMiddleware:
    """Give every comment form in an HTML answer a key of its own (the placeholder the
    templates, cached markup included, carry): posted again after a lost answer, a form
    gets the first answer back instead of a second comment (api/idempotency.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)
            and not response.streaming
            and FORM_KEY_PLACEHOLDER in response.content
        ):
            pieces = response.content.split(FORM_KEY_PLACEHOLDER)
            keys = (secrets.token_urlsafe(18).encode() for _ in pieces[1:])
            response.content = pieces[0] + b"".join(
                k + p for k, p in zip(keys, pieces[1:], strict=True)
            )
        return response


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


class RequestGuardMiddleware:
    """Refuse malformed requests before any parsing, and turn database faults into 503.

    A query string that is not UTF-8 or carries NUL bytes is refused here, once, so no view
    has to think about it. "database is locked" after the busy timeout, a full disk or a
    database that cannot be reached are conditions, not bugs: the client gets 503 with
    Retry-After and nothing was written (config/faults.py).
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
        if request.method in WRITE_METHODS and not request.path.startswith("/api/"):
            # The API checks its JSON bodies itself (api/guard.py).
            refused = self._refuse_form_body(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refuse_form_body(self, request: HttpRequest) -> HttpResponse | None:
        """Refuse a form post that is too large, or holds text that is not UTF-8, before parsing.

        Django would answer the first with a bare "Bad Request" and silently turn the second
        into U+FFFD replacement characters; the reader gets a page that says what happened
        instead (problem+json for the box's script), and nothing is stored.
        """
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        size = int(declared) if declared.isdigit() else 0
        if limit is not None and size > limit:
            if request.path.startswith(ADMIN_PATH):
                return None  # file uploads; Django applies the limit to the other fields
            return self._too_large(request, size, limit)
        content_type, _sep, params = request.META.get("CONTENT_TYPE", "").partition(";")
        content_type = content_type.strip().lower()
        if content_type not in (FORM_URLENCODED, FORM_MULTIPART):
            return None
        charset = params.lower().partition("charset=")[2].split(";")[0].strip().strip('"')
        if charset and charset not in ("utf-8", "utf8"):
            return _form_problem(
                request, 415, _("Unsupported character set"), _("Send the form as UTF-8.")
            )
        if content_type == FORM_URLENCODED:
            field = unreadable_form_field(request.body)
        else:
            field = unreadable_multipart_field(request.META["CONTENT_TYPE"], request.body)
        if field is None:
            return None
        return _form_problem(
            request,
            400,
            _("The form could not be read"),
            _(
                "The form field “%(field)s” holds bytes that are not text (not UTF-8, or a NUL), "
                "so nothing was saved. Type or paste the text again and resend it."
            )
            % {"field": field},
            field=field,
        )

    @staticmethod
    def _too_large(request: HttpRequest, size: int, limit: int) -> HttpResponse:
        return _form_problem(
            request,
            413,
            _("Your text is too long to send"),
            _(
                "The form sent %(size)s, more than the %(limit)s this server accepts at once; "
                "a comment can be at most %(max)d characters long. Nothing was saved."
            )
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
                "max": settings.REJOINDER["COMMENT_MAX_LENGTH"],
            },
            advice=_(
                "Your text is still in the form you came from: go back with your browser's "
                "Back button, shorten it and send it again."
            ),
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer 503 with Retry-After when the database is busy, full or unreachable.

        The view's transaction rolled back, so nothing was written (config/faults.py).
        """
        return answer_fault(request, exception)

    def _bad(self, request: HttpRequest, detail: str) -> HttpResponse:
        return self._respond(request, 400, _("Bad request"), detail)

    @staticmethod
    def _respond(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return problem(status, title, detail)
        return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def _form_problem(
    request: HttpRequest,
    status: int,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    advice: str = "",
) -> HttpResponse:
    """Answer a refused form post: problem+json for the box's script, a page for a person."""
    if wants_fragment(request):
        return problem(status, title, detail, field=field)
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else reverse("pages:index")
    )
    context = {"title": title, "detail": detail, "advice": advice, "back_url": back}
    return render(request, "pages/request_refused.html", context, status=status)


def unreadable_form_field(body: bytes) -> str | None:
    """Return the name of the first field of a urlencoded body that is not UTF-8 or holds a NUL
    (which PostgreSQL's text type cannot store), or None."""
    for pair in body.split(b"&"):
        raw_name, _eq, raw_value = pair.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" "))
        try:
            shown = name.decode("utf-8")
        except UnicodeDecodeError:
            return name.decode("utf-8", "replace")
        value = unquote_to_bytes(raw_value.replace(b"+", b" "))
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return shown
        if b"\x00" in value or b"\x00" in name:
            return shown
    return None


def unreadable_multipart_field(content_type: str, body: bytes) -> str | None:
    """Return the name of the first text field of a multipart body that is not UTF-8 or holds a
    NUL, or None.

    File parts may hold any bytes. A body that is UTF-8 without NUL throughout needs no closer
    look.
    """
    if b"\x00" not in body:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return None
    header = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        return None  # malformed: Django's parser refuses it
    for part in message.iter_parts():
        if part.get_filename() is not None:
            continue
        name = str(part.get_param("name", "", header="content-disposition"))
        payload = part.get_payload(decode=True)
        try:
            name.encode("utf-8")
            if isinstance(payload, bytes):
                payload.decode("utf-8")
                if b"\x00" in payload:
                    raise UnicodeError("NUL")
        except UnicodeError:
            return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace") or "?"
    return None
