"""The demo's sample publisher: a newspaper's own static pages on another origin, with
hostile CSS, a strict Content-Security-Policy and the embed on them (`rejoinder publisher`)."""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).parent / "publisher"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8"}


def content_security_policy(rejoinder: str) -> str:
    """The strictest policy a host can keep with the embed: no inline script or style at all."""
    return (
        f"default-src 'none'; script-src 'self' {rejoinder}; connect-src {rejoinder}; "
        f"style-src 'self' {rejoinder}; img-src 'self' data: {rejoinder}; "
        f"form-action 'self' {rejoinder}; base-uri 'none'; frame-ancestors 'none'"
    )


def publisher_handler(rejoinder: str, publisher: str, site_id: int) -> type[BaseHTTPRequestHandler]:
    """Return a handler serving the sample site's files, with Rejoinder's address filled in."""
    values = {"{{REJOINDER}}": rejoinder, "{{PUBLISHER}}": publisher, "{{SITE}}": str(site_id)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            wanted = (SITE / path.lstrip("/")).resolve()
            if wanted.is_dir():
                wanted = wanted / "index.html"
            if not wanted.is_relative_to(SITE.resolve()) or not wanted.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            body = wanted.read_text()
            for placeholder, value in values.items():
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
    port: int, rejoinder: str, site_id: int, host: str = "127.0.0.1"
) -> ThreadingHTTPServer:
    """Return the sample site's server on `port` (call serve_forever)."""
    publisher = f"http://localhost:{port}"
    return ThreadingHTTPServer((host, port), publisher_handler(rejoinder, publisher, site_id))
