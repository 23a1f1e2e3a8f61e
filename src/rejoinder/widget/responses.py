"""How the box's endpoints answer: markup to swap in for the script, or a page without it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rejoinder.config.middleware import problem, wants_fragment
from rejoinder.errors import InvalidFields, InvalidInput, RateLimited, RejoinderError


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
