"""The demo's sample publisher: a newspaper's own static pages on another origin, with
hostile CSS, a strict Content-Security-Policy and the embed on them (`rejoinder publisher`).

With the site's single sign-on secret (REJOINDER_DEMO_SSO_SECRET, which `rejoinder demo`
sets), it is also a publisher with its own sign-in: /sign-in signs the browser in as a sample
subscriber (a cookie of the newspaper's), and while it is signed in every page carries a
fresh token for the embed (`data-sso-token`), minted here as a publisher's server would
(docs/identity.md).
"""

from __future__ import annotations

import time
import uuid
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).parent / "publisher"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8"}
SIGNED_IN_COOKIE = "gazette_subscriber"
SAMPLE_SUBSCRIBER = {
    "sub": "gazette-reader-1",
    "name": "Sam Reader",
    "email": "sam@gazette.example",
    "email_verified": True,
    "roles": ["subscriber"],
}


def mint_token(secret: str, site_id: int, claims: dict[str, object], lifetime: int = 120) -> str:
    """Sign a short-lived HS256 token for `site_id`, as the publisher's backend does."""
    import jwt

    now = int(time.time())
    payload = {
        **claims,
        "aud": f"rejoinder:site:{site_id}",
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, secret, algorithm="HS256")


def content_security_policy(rejoinder: str) -> str:
    """The strictest policy a host can keep with the embed: no inline script or style at all."""
    return (
        f"default-src 'none'; script-src 'self' {rejoinder}; connect-src {rejoinder}; "
        f"style-src 'self' {rejoinder}; img-src 'self' data: {rejoinder}; "
        f"form-action 'self' {rejoinder}; base-uri 'none'; frame-ancestors 'none'"
    )


def publisher_handler(
    rejoinder: str, publisher: str, site_id: int, sso_secret: str = ""
) -> type[BaseHTTPRequestHandler]:
    """Return a handler serving the sample site's files, with Rejoinder's address filled in."""
    values = {"{{REJOINDER}}": rejoinder, "{{PUBLISHER}}": publisher, "{{SITE}}": str(site_id)}

    class Handler(BaseHTTPRequestHandler):
        def _signed_in(self) -> bool:
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            return bool(sso_secret) and SIGNED_IN_COOKIE in cookie

        def _redirect(self, cookie: str) -> None:
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", self.headers.get("Referer") or "/")
            self.send_header("Set-Cookie", cookie)
            self.end_headers()

        def _account(self) -> dict[str, str]:
            if not sso_secret:
                return {"{{ACCOUNT}}": "", "{{SSO}}": ""}
            if not self._signed_in():
                link = (
                    '<a class="masthead-account" href="/sign-in">Sign in as a sample subscriber</a>'
                )
                return {"{{ACCOUNT}}": link, "{{SSO}}": ""}
            token = mint_token(sso_secret, site_id, SAMPLE_SUBSCRIBER)
            return {
                "{{ACCOUNT}}": '<a class="masthead-account" href="/sign-out">Sam Reader · Sign out</a>',
                "{{SSO}}": f' data-sso-token="{token}"',
            }

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == "/sign-in" and sso_secret:
                self._redirect(f"{SIGNED_IN_COOKIE}=1; Path=/; HttpOnly; SameSite=Lax")
                return
            if path == "/sign-out":
                self._redirect(f"{SIGNED_IN_COOKIE}=; Path=/; Max-Age=0")
                return
            wanted = (SITE / path.lstrip("/")).resolve()
            if wanted.is_dir():
                wanted = wanted / "index.html"
            if not wanted.is_relative_to(SITE.resolve()) or not wanted.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            body = wanted.read_text()
            for placeholder, value in {**values, **self._account()}.items():
                body = body.replace(placeholder, value)
            data = body.encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", TYPES.get(wanted.suffix, "text/plain"))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Security-Policy", content_security_policy(rejoinder))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def publisher_server(
    port: int, rejoinder: str, site_id: int, host: str = "127.0.0.1", sso_secret: str = ""
) -> ThreadingHTTPServer:
    """Return the sample site's server on `port` (call serve_forever)."""
    publisher = f"http://localhost:{port}"
    handler = publisher_handler(rejoinder, publisher, site_id, sso_secret)
    return ThreadingHTTPServer((host, port), handler)
