"""Mint the tokens a publisher's server would, for the tests."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

import jwt

from rejoinder.pages.models import Site


def enable_hs256(site: Site) -> str:
    site.sso_algorithm = "HS256"
    site.sso_secret = secrets.token_urlsafe(32)
    site.save()
    return site.sso_secret


def claims_for(site: Site, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "user-42",
        "name": "Ana Lima",
        "email": "ana@example.org",
        "email_verified": True,
        "picture": "https://news.example.org/avatars/42.png",
        "profile": "https://news.example.org/people/42",
        "roles": ["subscriber"],
        "iat": now,
        "exp": now + 120,
        "aud": site.sso_audience(),
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def mint(site: Site, key: Any = None, algorithm: str = "HS256", **overrides: Any) -> str:
    return jwt.encode(claims_for(site, **overrides), key or site.sso_secret, algorithm=algorithm)
