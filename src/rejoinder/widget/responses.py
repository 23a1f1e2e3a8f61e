"""How the box's endpoints answer: markup to swap in for the script, or a page without it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rejoinder.config.middleware import problem, wants_fragment
from rejoinder.errors import RateLimited, RejoinderError


def refuse(
    request: HttpRequest, exc: RejoinderError, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Answer a refused action: problem+json for the script, the explaining page otherwise."""
    if wants_fragment(request):
        response: HttpResponse = problem(exc.status, exc.title, exc.message, field=exc.field)
    else:
        response = render(request, template, {**context, "error": exc.message}, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response
