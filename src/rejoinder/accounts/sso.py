"""Single sign-on from the publisher's site: its backend signs a short-lived JWT for its
signed-in reader, the browser hands it over, and Rejoinder opens a session for that reader.

Each Site names the one algorithm it accepts (HS256 with a secret generated in the admin, or
RS256/ES256/EdDSA with a PEM public key or a JWKS URL). A token is refused, with a reason and
nothing stored, when it is too large, not a JWT, signed with another algorithm (including
"none"), badly signed, expired, not yet valid, valid for longer than the site allows, meant
for another site, already used (its `jti` is kept until it expires), or its claims are
missing or out of bounds. See docs/identity.md.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.accounts.models import SeenTokenId
from rejoinder.accounts.signing_in import Profile, SignedIn, sign_in
from rejoinder.comments.posting import clean_name
from rejoinder.errors import InvalidInput, TokenRefused
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.pages.models import Site

PROVIDER = "sso"
MAX_TOKEN_LENGTH = 4096
# Clock difference allowed between the publisher's server and ours (seconds).
LEEWAY_SECONDS = 30
JWKS_TIMEOUT_SECONDS = 5
JWKS_CACHE_SECONDS = 600
MAX_ROLES = 10
_ROLE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_url = URLValidator(schemes=["https", "http"])
_email = EmailValidator()
_jwks_clients: dict[str, jwt.PyJWKClient] = {}
_jwks_lock = threading.Lock()


@dataclass(frozen=True)
class SsoClaims:
    subject: str
    jti: str
    expires_at: datetime
    profile: Profile


def _refuse(reason: str, message: str, status: int = 401) -> TokenRefused:
    return TokenRefused(message, reason=reason, status=status)


def _jwks_client(url: str) -> jwt.PyJWKClient:
    """One client per URL for the process: it caches the keys it fetched."""
    with _jwks_lock:
        client = _jwks_clients.get(url)
        if client is None:
            client = jwt.PyJWKClient(
                url, cache_keys=True, lifespan=JWKS_CACHE_SECONDS, timeout=JWKS_TIMEOUT_SECONDS
            )
            _jwks_clients[url] = client
        return client


def _verification_key(site: Site, token: str) -> Any:
    if site.sso_algorithm == "HS256":
        return site.sso_secret
    if site.sso_public_key.strip():
        return site.sso_public_key.strip()
    try:
        return _jwks_client(site.sso_jwks_url).get_signing_key_from_jwt(token).key
    except jwt.PyJWKClientError as exc:
        raise _refuse(
            "keys_unavailable",
            _("The site's signing keys could not be read from its JWKS URL: %(error)s")
            % {"error": str(exc)[:200]},
            status=409,
        ) from exc


def verify_sso_token(site: Site, token: str, *, now: datetime | None = None) -> SsoClaims:
    """Check a publisher's token for `site`; return its claims or raise TokenRefused."""
    algorithm = site.sso_algorithm
    if algorithm == "HS256":
        configured = bool(site.sso_secret)
    else:
        configured = bool(algorithm and (site.sso_public_key.strip() or site.sso_jwks_url))
    if not configured:
        raise _refuse("sso_off", _("Single sign-on is not set up for this site."), status=403)
    if not isinstance(token, str) or not token:
        raise _refuse("malformed", _("Send the sign-in token."), status=422)
    if len(token) > MAX_TOKEN_LENGTH:
        raise _refuse(
            "oversize",
            _("The sign-in token is longer than %(n)d characters.") % {"n": MAX_TOKEN_LENGTH},
            status=422,
        )
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise _refuse("malformed", _("The sign-in token is not a JWT."), status=422) from exc
    used = header.get("alg")
    if used != algorithm:
        raise _refuse(
            "algorithm",
            _("The sign-in token is signed with %(used)s; this site accepts %(expected)s only.")
            % {"used": str(used)[:20], "expected": algorithm},
        )
    key = _verification_key(site, token)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=site.sso_audience(),
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "sub", "aud", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise _refuse("expired", _("The sign-in token has expired.")) from exc
    except jwt.ImmatureSignatureError as exc:
        raise _refuse("not_yet_valid", _("The sign-in token is not valid yet.")) from exc
    except jwt.InvalidAudienceError as exc:
        raise _refuse(
            "audience",
            _("The sign-in token is meant for another site (aud must be %(aud)s).")
            % {"aud": site.sso_audience()},
        ) from exc
    except jwt.InvalidSignatureError as exc:
        raise _refuse("signature", _("The sign-in token's signature is not valid.")) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise _refuse(
            "claims",
            _("The sign-in token has no %(claim)s claim.") % {"claim": exc.claim},
            status=422,
        ) from exc
    except jwt.InvalidKeyError as exc:
        raise _refuse(
            "key", _("The site's public key cannot be read; check it in the admin."), status=409
        ) from exc
    except jwt.InvalidTokenError as exc:
        raise _refuse(
            "malformed", _("The sign-in token is not valid: %(error)s") % {"error": exc}, 422
        ) from exc
    return _bounded_claims(site, claims, now or timezone.now())


def _claim_error(claim: str, message: str) -> TokenRefused:
    return _refuse(
        "claims",
        _("The sign-in token's %(claim)s claim: %(problem)s")
        % {
            "claim": claim,
            "problem": message,
        },
        status=422,
    )


def _text(claims: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str:
    value = claims.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _claim_error(name, _("must be a string."))
    value = value.strip()
    if required and not value:
        raise _claim_error(name, _("must not be empty."))
    if len(value) > limit:
        raise _claim_error(name, _("is longer than %(n)d characters.") % {"n": limit})
    if any(ord(c) < 32 for c in value):
        raise _claim_error(name, _("contains control characters."))
    return value


def _bounded_claims(site: Site, claims: dict[str, Any], now: datetime) -> SsoClaims:
    issued, expires = claims["iat"], claims["exp"]
    if not all(isinstance(t, int | float) for t in (issued, expires)):
        raise _claim_error("exp", _("must be a number of seconds."))
    if expires - issued > site.sso_max_lifetime_seconds:
        raise _refuse(
            "lifetime",
            _("The sign-in token is valid for longer than this site allows (%(n)d seconds).")
            % {"n": site.sso_max_lifetime_seconds},
        )
    subject = _text(claims, "sub", 255, required=True)
    jti = _text(claims, "jti", 200, required=True)
    name = " ".join(_text(claims, "name", 200, required=True).split())
    try:  # shown as a comment's author: the box's own rules, shortened to its limit
        name = clean_name(name[: settings.REJOINDER["NAME_MAX_LENGTH"]])
    except InvalidInput as exc:
        raise _claim_error("name", exc.message) from exc
    email = _text(claims, "email", 254)
    if email:
        try:
            _email(email)
        except ValidationError as exc:
            raise _claim_error("email", _("is not an email address.")) from exc
    verified = claims.get("email_verified", False)
    if not isinstance(verified, bool):
        raise _claim_error("email_verified", _("must be true or false."))
    urls = {}
    for claim in ("picture", "profile"):
        urls[claim] = _text(claims, claim, 500)
        if urls[claim]:
            try:
                _url(urls[claim])
            except ValidationError as exc:
                raise _claim_error(claim, _("is not an http(s) URL.")) from exc
    roles = claims.get("roles", [])
    if roles is None:
        roles = []
    if not isinstance(roles, list) or len(roles) > MAX_ROLES:
        raise _claim_error("roles", _("must be a list of at most %(n)d words.") % {"n": MAX_ROLES})
    if not all(isinstance(r, str) and _ROLE.match(r) for r in roles):
        raise _claim_error("roles", _("each role is a short lowercase word, e.g. staff."))
    return SsoClaims(
        subject=subject,
        jti=jti,
        expires_at=datetime.fromtimestamp(expires, tz=UTC),
        profile=Profile(
            name=name,
            email=email,
            email_verified=bool(email) and verified,
            avatar_url=urls["picture"],
            profile_url=urls["profile"],
            roles=tuple(dict.fromkeys(roles)),
        ),
    )


def sign_in_with_sso(
    *,
    site: Site,
    token: str,
    guest_key: str | None,
    ip_hash: str,
    current_token: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """Exchange a publisher's token for a reader session on `site` (see `sign_in`).

    Attempts are counted per address (and per browser) before anything is checked, so
    guessing is limited; a refused token stores nothing else. The token's `jti` is kept
    until its expiry in the same transaction as the session, so it works once.
    """
    now = now or timezone.now()
    # A browser without a guest key is counted by its address alone (both limits apply).
    enforce_rate_limit("sso", reader_key=guest_key or f"ip:{ip_hash}", ip_hash=ip_hash)
    claims = verify_sso_token(site, token, now=now)
    with transaction.atomic():
        SeenTokenId.objects.filter(site=site, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                SeenTokenId.objects.create(site=site, jti=claims.jti, expires_at=claims.expires_at)
        except IntegrityError as exc:
            raise _refuse("replayed", _("This sign-in token has been used already.")) from exc
        return sign_in(
            site=site,
            provider=PROVIDER,
            subject=claims.subject,
            profile=claims.profile,
            guest_key=guest_key,
            current_token=current_token,
            now=now,
        )
