"""Single sign-on tokens: every refusal names its reason and stores nothing."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from tests.accounts.tokens import claims_for, enable_hs256, mint

from rejoinder.accounts.models import Account, Identity, ReaderSession, SeenTokenId
from rejoinder.accounts.sessions import reader_key_for_token
from rejoinder.accounts.sso import sign_in_with_sso
from rejoinder.comments.models import Commenter
from rejoinder.errors import TokenRefused
from rejoinder.pages.models import Site


def _sign_in(site: Site, token: str, guest_key: str | None = None) -> Any:
    return sign_in_with_sso(site=site, token=token, guest_key=guest_key, ip_hash="ip")


def _refused(site: Site, token: str) -> TokenRefused:
    before = Commenter.objects.count()
    with pytest.raises(TokenRefused) as caught:
        _sign_in(site, token)
    assert Account.objects.count() == 0
    assert ReaderSession.objects.count() == 0
    assert Identity.objects.count() == 0
    assert Commenter.objects.count() == before
    return caught.value


def _unsigned(claims: dict[str, Any], alg: str = "none") -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture
def hs_site(site: Site) -> Site:
    enable_hs256(site)
    return site


def test_a_good_token_opens_a_session_for_its_account(hs_site: Site) -> None:
    signed_in = _sign_in(hs_site, mint(hs_site))
    account = signed_in.account
    assert (account.display_name, account.email, account.email_verified) == (
        "Ana Lima",
        "ana@example.org",
        True,
    )
    assert account.roles == ["subscriber"]
    assert account.avatar_url == "https://news.example.org/avatars/42.png"
    assert Identity.objects.get().subject == "user-42"
    assert reader_key_for_token(signed_in.token) == account.commenter.reader_key
    again = _sign_in(hs_site, mint(hs_site, name="Ana L."))
    assert again.account.pk == account.pk
    assert Account.objects.get().display_name == "Ana L."


def test_sso_off_is_refused(site: Site) -> None:
    assert _refused(site, "x.y.z").reason == "sso_off"


def test_alg_none_is_refused(hs_site: Site) -> None:
    refusal = _refused(hs_site, _unsigned(claims_for(hs_site)))
    assert refusal.reason == "algorithm"
    assert "none" in refusal.message


def test_another_algorithm_than_the_sites_is_refused(hs_site: Site) -> None:
    token = mint(hs_site, key=hs_site.sso_secret + "x" * 40, algorithm="HS512")
    assert _refused(hs_site, token).reason == "algorithm"


def test_hs_rs_confusion_is_refused(site: Site) -> None:
    """A site on RS256 never takes an HS256 token signed with its public key as the secret."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    site.sso_algorithm, site.sso_public_key = "RS256", pem
    site.save()
    forged = _unsigned(claims_for(site), alg="HS256")
    assert _refused(site, forged).reason == "algorithm"
    good = jwt.encode(claims_for(site), private, algorithm="RS256")
    assert _sign_in(site, good).account.display_name == "Ana Lima"


def test_eddsa_with_a_public_key(site: Site) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    site.sso_algorithm = "EdDSA"
    site.sso_public_key = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    site.save()
    other = ed25519.Ed25519PrivateKey.generate()
    assert _refused(site, jwt.encode(claims_for(site), other, algorithm="EdDSA")).reason == (
        "signature"
    )
    assert _sign_in(site, jwt.encode(claims_for(site), private, algorithm="EdDSA"))


def test_a_bad_signature_is_refused(hs_site: Site) -> None:
    assert _refused(hs_site, mint(hs_site, key="not-the-secret" * 3)).reason == "signature"


def test_expired_and_not_yet_valid_tokens_are_refused(hs_site: Site) -> None:
    now = int(time.time())
    assert _refused(hs_site, mint(hs_site, iat=now - 400, exp=now - 200)).reason == "expired"
    future = mint(hs_site, iat=now + 300, exp=now + 400)
    assert _refused(hs_site, future).reason == "not_yet_valid"
    nbf = mint(hs_site, nbf=now + 300)
    assert _refused(hs_site, nbf).reason == "not_yet_valid"


def test_a_lifetime_longer_than_the_sites_maximum_is_refused(hs_site: Site) -> None:
    now = int(time.time())
    refusal = _refused(hs_site, mint(hs_site, iat=now, exp=now + 601))
    assert refusal.reason == "lifetime"
    assert "600" in refusal.message


def test_a_token_for_another_site_is_refused(hs_site: Site) -> None:
    assert _refused(hs_site, mint(hs_site, aud="rejoinder:site:999")).reason == "audience"
    assert _refused(hs_site, mint(hs_site, aud=None)).reason == "claims"


def test_a_replayed_token_is_refused(hs_site: Site) -> None:
    token = mint(hs_site)
    _sign_in(hs_site, token)
    sessions = ReaderSession.objects.count()
    with pytest.raises(TokenRefused) as caught:
        _sign_in(hs_site, token)
    assert caught.value.reason == "replayed"
    assert ReaderSession.objects.count() == sessions
    assert SeenTokenId.objects.count() == 1


def test_oversize_tokens_and_claims_are_refused(hs_site: Site) -> None:
    assert _refused(hs_site, mint(hs_site, padding="x" * 5000)).reason == "oversize"
    assert _refused(hs_site, mint(hs_site, sub="x" * 256)).reason == "claims"
    assert _refused(hs_site, mint(hs_site, roles=["staff"] * 11)).reason == "claims"
    assert _refused(hs_site, mint(hs_site, roles=["<b>"])).reason == "claims"
    assert _refused(hs_site, mint(hs_site, picture="javascript:alert(1)")).reason == "claims"
    assert _refused(hs_site, mint(hs_site, email="not an address")).reason == "claims"
    assert _refused(hs_site, mint(hs_site, jti=None)).reason == "claims"
    assert _refused(hs_site, mint(hs_site, name="")).reason == "claims"
    assert _refused(hs_site, "not-a-jwt").reason == "malformed"


def test_a_refused_token_leaves_its_jti_unused(hs_site: Site) -> None:
    token = mint(hs_site, jti="once", roles=["Bad Role"])
    _refused(hs_site, token)
    assert not SeenTokenId.objects.exists()
    assert _sign_in(hs_site, mint(hs_site, jti="once"))


def test_an_unverified_email_never_joins_another_account(hs_site: Site) -> None:
    first = _sign_in(hs_site, mint(hs_site, sub="a", email="x@example.org")).account
    other = _sign_in(
        hs_site, mint(hs_site, sub="b", email="x@example.org", email_verified=False)
    ).account
    assert other.pk != first.pk
    assert not other.email_verified
    same = _sign_in(hs_site, mint(hs_site, sub="c", email="X@example.org")).account
    assert same.pk == first.pk
    assert Identity.objects.filter(account=first).count() == 2


def test_the_admin_action_gives_a_new_secret_shown_once(site: Site, admin_client: Any) -> None:
    old = enable_hs256(site)
    token = mint(site)
    answer = admin_client.post(
        "/admin/pages/site/",
        {"action": "new_sso_secret", "_selected_action": [site.pk]},
        follow=True,
    )
    site.refresh_from_db()
    assert site.sso_secret != old
    assert site.sso_secret in answer.content.decode()
    assert (
        site.sso_secret
        not in admin_client.get(f"/admin/pages/site/{site.pk}/change/").content.decode()
    )
    assert _refused(site, token).reason == "signature"


@pytest.fixture
def jwks_server() -> Any:
    """A publisher's JWKS endpoint on this machine: serves whatever `keys` holds."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.servers import free_port

    state: dict[str, Any] = {"keys": [], "hits": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["hits"] += 1
            body = json.dumps({"keys": state["keys"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{port}/.well-known/jwks.json"
    yield state
    server.shutdown()
    server.server_close()


def test_rs256_keys_come_from_the_sites_jwks_url(site: Site, jwks_server: Any) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwks_server["keys"] = [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]
    site.sso_algorithm, site.sso_jwks_url = "RS256", jwks_server["url"]
    site.save()
    signed = jwt.encode(claims_for(site), private, algorithm="RS256", headers={"kid": "k1"})
    assert _sign_in(site, signed).account.display_name == "Ana Lima"
    unknown = jwt.encode(claims_for(site), private, algorithm="RS256", headers={"kid": "k2"})
    sessions = ReaderSession.objects.count()
    with pytest.raises(TokenRefused) as caught:
        _sign_in(site, unknown)
    assert (caught.value.reason, caught.value.status) == ("keys_unavailable", 409)
    assert ReaderSession.objects.count() == sessions


def test_an_unreachable_jwks_is_a_4xx_naming_it(site: Site) -> None:
    from tests.servers import free_port

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    site.sso_algorithm = "RS256"
    site.sso_jwks_url = f"http://127.0.0.1:{free_port()}/jwks.json"
    site.save()
    token = jwt.encode(claims_for(site), private, algorithm="RS256", headers={"kid": "k1"})
    refusal = _refused(site, token)
    assert (refusal.reason, refusal.status) == ("keys_unavailable", 409)
