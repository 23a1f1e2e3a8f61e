"""Typed domain errors, raised by domain functions and mapped to 4xx in one place per surface.

`status` is the HTTP status each maps to; views and the API read it, domain code never
builds a response.
"""

from collections.abc import Sequence


class RejoinderError(Exception):
    """A request the domain refuses, with a message a person can act on."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(RejoinderError):
    status = 422
    title = "Invalid input"


class InvalidFields(InvalidInput):
    """Several fields refused at once. `message` and `field` are the first one's, so a surface
    that reports one problem reports the same as before; forms show every one of `errors`."""

    def __init__(self, errors: Sequence[InvalidInput]) -> None:
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = tuple(errors)


class NotFound(RejoinderError):
    status = 404
    title = "Not found"


class Forbidden(RejoinderError):
    status = 403
    title = "Forbidden"


class Conflict(RejoinderError):
    status = 409
    title = "Conflict"


class RateLimited(RejoinderError):
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenRefused(RejoinderError):
    """A sign-in token refused; `reason` is a short code naming why (e.g. "expired")."""

    status = 401
    title = "Token refused"

    def __init__(self, message: str, *, reason: str, status: int = 401) -> None:
        super().__init__(message, field="token")
        self.reason = reason
        self.status = status
