"""Signing in with an OpenID Connect provider the publisher chose (authorization code + PKCE).

`start_sign_in` stores what the callback must find (a state, a nonce and a PKCE verifier,
bound to the browser by the hash of a random cookie value) and returns the provider's
authorization URL. `finish_sign_in` checks the state against that browser, uses the login once,
exchanges the code with the verifier, and validates the ID token (signature by the provider's
JWKS, issuer, audience, nonce, expiry) before `sign_in`. Any refusal raises TokenRefused with
its `reason` and stores no account, identity or session. An email joins an existing account
only when the provider says `email_verified`.

Authlib supplies the PKCE challenge and the random values, joserfc (its JOSE library) the
token validation; HTTP is the standard library's, so no HTTP client is a dependency.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from rejoinder.accounts.email_sign_in import safe_return_to
from rejoinder.accounts.models import OidcLogin, OidcProvider
from rejoinder.accounts.signing_in import Profile, SignedIn, sign_in
from rejoinder.errors import TokenRefused

LOGIN_MINUTES = 10
HTTP_TIMEOUT = 10
_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _refuse(reason: str, message: str, status: int = 400) -> TokenRefused:
    return TokenRefused(message, reason=reason, status=status)


def redirect_uri() -> str:
    return settings.PUBLIC_URL + reverse("widget:oidc_callback")


def _get_json(url: str, data: dict[str, str] | None = None, auth: str | None = None) -> Any:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise _refuse(
            "provider", _("The sign-in provider gave an address that is not http(s)."), 502
        )
    headers = {"Accept": "application/json"}
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - http(s) checked
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as answer:  # noqa: S310
            return json.loads(answer.read(1_000_000))
    except urllib.error.HTTPError as exc:
        try:
            return {"_status": exc.code, **json.loads(exc.read(100_000))}
        except ValueError:
            return {"_status": exc.code}
    except (OSError, ValueError) as exc:
        raise _refuse(
            "provider",
            _("The sign-in provider could not be reached: %(error)s") % {"error": exc},
            502,
        ) from exc


def discovery(provider: OidcProvider) -> dict[str, Any]:
    """The provider's discovery document (cached an hour), checked to name its issuer."""
    key = "rj:oidc:" + _digest(provider.issuer)
    document = cache.get(key)
    if document is None:
        document = _get_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
        if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
            raise _refuse(
                "provider",
                _("The sign-in provider's discovery document does not name the issuer %(iss)s.")
                % {"iss": provider.issuer},
                502,
            )
        cache.set(key, document, 3600)
    return document


def start_sign_in(
    provider: OidcProvider, *, return_to: str = "", now: datetime | None = None
) -> tuple[str, str]:
    """Return (the provider's authorization URL, the browser secret to keep in a cookie)."""
    now = now or timezone.now()
    document = discovery(provider)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    browser = secrets.token_urlsafe(32)
    OidcLogin.objects.create(
        provider=provider,
        state_hash=_digest(state),
        browser_hash=_digest(browser),
        nonce=nonce,
        code_verifier=verifier,
        return_to=safe_return_to(return_to),
        expires_at=now + timedelta(minutes=LOGIN_MINUTES),
    )
    url = add_params_to_uri(
        document["authorization_endpoint"],
        [
            ("response_type", "code"),
            ("client_id", provider.client_id),
            ("redirect_uri", redirect_uri()),
            ("scope", "openid email profile"),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)),
            ("code_challenge_method", "S256"),
        ],
    )
    return url, browser


def _use_login(state: str, browser: str | None, now: datetime) -> OidcLogin:
    """The login this callback belongs to, marked used; refused unless this browser started it."""
    with transaction.atomic():
        login = (
            OidcLogin.objects.select_for_update()
            .select_related("provider__site")
            .filter(state_hash=_digest(state))
            .first()
            if state
            else None
        )
        if login is None or not browser or login.browser_hash != _digest(browser):
            raise _refuse(
                "state", _("This sign-in was not started in this browser. Start it again.")
            )
        if login.used_at is not None:
            raise _refuse("replayed", _("This sign-in has been completed already."), 409)
        if login.expires_at <= now:
            raise _refuse("expired", _("This sign-in took too long. Start it again."), 401)
        login.used_at = now
        login.save(update_fields=["used_at"])
    return login


def finish_sign_in(
    *,
    params: dict[str, str],
    browser: str | None,
    guest_key: str | None = None,
    now: datetime | None = None,
) -> tuple[SignedIn, OidcLogin]:
    """Complete the callback whose query is `params` (state, code, or error)."""
    now = now or timezone.now()
    login = _use_login(params.get("state", ""), browser, now)
    provider = login.provider
    if params.get("error"):
        raise _refuse(
            "denied",
            _("The sign-in provider did not sign you in (%(error)s).")
            % {"error": params["error"][:100]},
            403,
        )
    if not provider.enabled:
        raise _refuse("provider", _("This way of signing in is turned off."), 403)
    document = discovery(provider)
    basic = base64.b64encode(
        f"{urllib.parse.quote(provider.client_id)}:{urllib.parse.quote(provider.client_secret)}".encode()
    ).decode()
    tokens = _get_json(
        document["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": params.get("code", ""),
            "redirect_uri": redirect_uri(),
            "code_verifier": login.code_verifier,
        },
        auth=f"Basic {basic}",
    )
    if not isinstance(tokens, dict) or "_status" in tokens or not tokens.get("id_token"):
        raise _refuse(
            "code",
            _("The sign-in provider refused the code (%(error)s). Start again.")
            % {
                "error": str(
                    tokens.get("error", "no ID token") if isinstance(tokens, dict) else ""
                )[:100]
            },
            401,
        )
    claims = _validated_claims(provider, document, str(tokens["id_token"]), login.nonce, now)
    signed_in = sign_in(
        site=provider.site,
        provider=provider.identity_provider,
        subject=str(claims["sub"])[:255],
        profile=_profile(claims),
        guest_key=guest_key,
        now=now,
    )
    return signed_in, login


def _validated_claims(
    provider: OidcProvider, document: dict[str, Any], id_token: str, nonce: str, now: datetime
) -> dict[str, Any]:
    jwks = _get_json(document["jwks_uri"])
    try:
        keys = KeySet.import_key_set(jwks)
        token = jwt.decode(id_token, keys, algorithms=_ALGORITHMS)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise _refuse("signature", _("The ID token's signature is not valid."), 401) from exc
    claims = token.claims
    checks = {
        "iss": ("issuer", _("The ID token comes from another issuer.")),
        "aud": ("audience", _("The ID token is meant for another client.")),
        "nonce": ("nonce", _("The ID token is not the answer to this sign-in (nonce).")),
        "exp": ("expired", _("The ID token has expired.")),
        "sub": ("subject", _("The ID token names nobody (no sub).")),
    }
    registry = JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=60,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        claim = getattr(exc, "claim", "") or ""
        reason, message = checks.get(claim, ("claims", _("The ID token is not valid.")))
        raise _refuse(reason, message, 401) from exc
    return claims


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    text = "".join(c for c in " ".join(value.split()) if c.isprintable())
    return text[:limit]


def _profile(claims: dict[str, Any]) -> Profile:
    email = _text(claims.get("email"), 254)
    picture = _text(claims.get("picture"), 500)
    return Profile(
        name=_text(claims.get("name"), 200)
        or _text(claims.get("preferred_username"), 200)
        or _("Reader"),
        email=email if "@" in email else "",
        email_verified=claims.get("email_verified") is True,
        avatar_url=picture if picture.startswith(("https://", "http://")) else "",
    )


def purge_oidc_logins(now: datetime | None = None) -> int:
    """Delete logins that expired (a worker step); return how many."""
    deleted, _counts = OidcLogin.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
