"""Start the test OpenID Connect provider as a process on a free loopback port."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from tests.servers import _wait_until_up, free_port


@dataclass
class Provider:
    issuer: str
    client_id: str  # a second client, `client_id + "_2"`, has the same secret
    secret: str
    password: str  # of the user "ana" (Ana Lima, ana@example.org, verified)


@contextmanager
def oidc_provider(base: Path, redirect_uri: str) -> Iterator[Provider]:
    """Run the provider with a new RSA key, its clients sending readers to `redirect_uri`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (base / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = free_port()
    provider = Provider(
        issuer=f"http://127.0.0.1:{port}/o",
        client_id="rejoinder-" + secrets.token_hex(4),
        secret=secrets.token_urlsafe(24),
        password=secrets.token_urlsafe(12),
    )
    env = {
        "OIDC_TEST_DIR": str(base),
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.secret,
        "OIDC_REDIRECT_URI": redirect_uri,
        "OIDC_PASSWORD": provider.password,
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    process = subprocess.Popen(  # noqa: S603 - our own test server
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(provider.issuer + "/.well-known/openid-configuration", process)
        yield provider
    finally:
        process.terminate()
        process.wait(10)
