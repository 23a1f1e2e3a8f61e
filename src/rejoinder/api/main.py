"""The JSON API at /api/v1: one router per domain app, errors as application/problem+json."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from rejoinder.api import (
    accounts,
    comments,
    email_sign_in,
    idempotency,
    inline,
    me,
    moderation,
    pages,
    privacy,
    ratings,
)
from rejoinder.errors import RateLimited, RejoinderError, TokenRefused
from rejoinder.web.responses import PROBLEM_JSON, problem


class RejoinderAPI(NinjaAPI):
    """The API, whose OpenAPI document declares error bodies as `application/problem+json`.

    ninja declares every response in its renderer's media type (`application/json`); errors
    are served by `problem` in RFC 9457's type, so the document says that for 4xx and 5xx.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                for status, response in operation["responses"].items():
                    content = response.get("content", {})
                    if int(status) >= 400 and self.renderer.media_type in content:
                        response["content"] = {PROBLEM_JSON: content[self.renderer.media_type]}
                if idempotency.applies_to(method.upper(), path):
                    _document_idempotency(operation)
        return schema


class CompactJSON(JSONRenderer):
    """JSON without the spaces after `,` and `:`: every answer a few percent smaller."""

    json_dumps_params = {"separators": (",", ":")}


def _document_idempotency(operation: dict[str, Any]) -> None:
    """Declare the Idempotency-Key header of a write and the header marking a replayed answer."""
    operation.setdefault("parameters", []).append(
        {
            "in": "header",
            "name": idempotency.HEADER,
            "required": False,
            "description": (
                "A key of your choosing (a UUID) that makes retrying this write safe: a retry "
                "with the same key and the same request gets the first successful answer again "
                "and changes nothing. Kept 24 hours; the same key with another request is 422."
            ),
            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
        }
    )
    for status, response in operation["responses"].items():
        if 200 <= int(status) < 300:
            response.setdefault("headers", {})[idempotency.REPLAYED_HEADER] = {
                "description": "`true` when this is the stored answer to an earlier request "
                "with the same Idempotency-Key.",
                "required": False,
                "schema": {"type": "string", "enum": ["true"]},
            }


api = RejoinderAPI(
    renderer=CompactJSON(),
    title="Rejoinder API",
    version="1",
    description=(
        "Read discussions, post, edit and delete comments, vote, rate pages and count comments; "
        "comment on passages of an article (inline feedback). "
        "Writes need `Content-Type: application/json`. A reader is identified by the signed "
        "token the API returns as `reader` on a first write; send it back in the "
        "`X-Rejoinder-Reader` header (pages on this server use a cookie instead). "
        "Every write takes an `Idempotency-Key` header (a UUID of your choosing): a retry with "
        "the same key and request gets the first successful answer again, marked "
        "`Idempotent-Replayed: true`, and changes nothing; keys are kept 24 hours."
    ),
    urls_namespace="api",
    # Reader endpoints declare no cookie-based auth, so ninja adds no CSRF check there:
    # ApiGuardMiddleware requires JSON from an allowed origin for every write instead. The
    # moderation endpoints use the session, and with it Django's CSRF token.
)
api.add_router("/", comments.router)
api.add_router("/", ratings.router)
api.add_router("/", pages.router)
api.add_router("/", moderation.router)
# Moderators sign in with a session: these endpoints check the session and its CSRF token.
api.add_router("/", moderation.moderation)
api.add_router("/", inline.router)
api.add_router("/", accounts.router)
api.add_router("/", privacy.router)
api.add_router("/", email_sign_in.router)
api.add_router("/", me.router)


@api.exception_handler(RejoinderError)
def _domain_error(request: HttpRequest, exc: RejoinderError) -> HttpResponse:
    extra = {"reason": exc.reason} if isinstance(exc, TokenRefused) else {}
    response = problem(exc.status, exc.title, exc.message, field=exc.field, **extra)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    fields = []
    for error in exc.errors:
        where = _field_path(error.get("loc", ()))
        fields.append(where)
        problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    detail = "; ".join(problems) or _("The request is not valid.")
    return problem(422, _("Invalid input"), detail, field=next((f for f in fields if f), None))


def _field_path(loc: tuple[object, ...] | list[object]) -> str:
    """Name the input an error is about: `stars`, `passage.start`, `comment_ids[0]`."""
    path = ""
    # ninja prefixes where the value came from, and the view's parameter name for a body.
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path") else loc:
        if part == "payload" and not path:
            continue
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(401, _("Unauthorized"), _("Sign in first."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, _("Error"), str(exc))
