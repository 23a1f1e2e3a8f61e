"""What the HTML views and the API both need from a request: who the reader is, and from where."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from rejoinder.accounts.sessions import reader_key_for_token
from rejoinder.comments.identity import issue_reader_token, reader_key_from_token
from rejoinder.limits.addresses import hash_ip

READER_HEADER = "HTTP_X_REJOINDER_READER"


def client_ip(request: HttpRequest) -> str:
    """Return the request's client IP (see client_address)."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", "")
    )


def client_address(peer: str, forwarded: str) -> str:
    """Return the client's IP; X-Forwarded-For is believed only from a configured proxy."""
    if peer in settings.REJOINDER["TRUSTED_PROXIES"]:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in settings.REJOINDER["TRUSTED_PROXIES"]:
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    break
    return peer


def ip_hash(request: HttpRequest) -> str:
    """Return a keyed hash of the client IP: stable for rate limits and bans, useless if leaked."""
    return hash_ip(client_ip(request))


def reader_token(request: HttpRequest) -> str | None:
    """Return the request's signed reader token (header first, then cookie), if any."""
    return request.META.get(READER_HEADER) or request.COOKIES.get(
        settings.REJOINDER["READER_COOKIE"]
    )


def reader_key(request: HttpRequest) -> str | None:
    """Return the verified reader key of the request (a guest's, or a live session's), or None."""
    return reader_key_for_token(reader_token(request))


def ensure_reader(request: HttpRequest) -> tuple[str, str | None]:
    """Return (reader key, new token or None): a request without a valid token gets a new one."""
    key = reader_key(request)
    if key:
        return key, None
    token = issue_reader_token()
    key = reader_key_from_token(token)
    assert key is not None
    return key, token


def remember_reader(response: HttpResponse, token: str | None) -> None:
    """Set the reader cookie on the response when a new token was issued."""
    if token:
        response.set_cookie(
            settings.REJOINDER["READER_COOKIE"],
            token,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
