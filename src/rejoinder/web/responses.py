"""How every surface answers: problem+json for scripts and the API, or a page that explains."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rejoinder.errors import InvalidFields, InvalidInput, RateLimited, RejoinderError

PROBLEM_JSON = "application/problem+json"


def wants_fragment(request: HttpRequest) -> bool:
    """Tell whether the box's script sent the request (it swaps the answer in place)."""
    return request.headers.get("X-Rejoinder-Fragment") == "1"


def problem(status: int, title: str, detail: str, **extra: object) -> JsonResponse:
    """Build an RFC 9457 application/problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON)


def field_errors(exc: RejoinderError) -> dict[str, str]:
    """Return the message for each field a refusal names ({} when it is about no field)."""
    errors = exc.errors if isinstance(exc, InvalidFields) else (exc,)
    return {e.field: e.message for e in errors if isinstance(e, InvalidInput) and e.field}


def refuse(
    request: HttpRequest, exc: RejoinderError, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Answer a refused action: problem+json for the script, the explaining page otherwise.

    For the script, `errors` lists every refused field (`field`, `detail`) so that the form
    can mark them all; `detail` and `field` stay those of the first.
    """
    if wants_fragment(request):
        extra: dict[str, Any] = {"field": exc.field}
        fields = field_errors(exc)
        if fields:
            extra["errors"] = [{"field": f, "detail": m} for f, m in fields.items()]
        response: HttpResponse = problem(exc.status, exc.title, exc.message, **extra)
    else:
        response = render(request, template, {**context, "error": exc.message}, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response
