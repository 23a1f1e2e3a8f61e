import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/", "/api/v1/counts?uri=/x/", "/feeds/articles.atom"])
def test_every_response_has_a_strict_csp_and_safety_headers(
    client: Client, db: None, path: str
) -> None:
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]


def test_a_nul_byte_in_the_query_string_is_refused(client: Client, db: None) -> None:
    response = client.get("/api/v1/threads?uri=/a%00b/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_invalid_utf8_in_the_query_string_is_refused(client: Client, db: None) -> None:
    assert client.get("/?q=%ff%fe").status_code == 400


def test_the_reader_cookie_is_http_only(client: Client, db: None) -> None:
    from rejoinder.pages.lookup import default_site, ensure_page

    ensure_page(default_site(), "/p/")
    response = client.post(
        "/api/v1/comments",
        {"uri": "/p/", "name": "A", "body": "x"},
        content_type="application/json",
    )
    cookie = response.cookies["rj_reader"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_database_still_locked_after_the_busy_timeout_is_a_503_with_retry_after(rf) -> None:  # type: ignore[no-untyped-def]
    from django.db import OperationalError
    from django.http import HttpResponse

    from rejoinder.config.middleware import RequestGuardMiddleware

    guard = RequestGuardMiddleware(lambda request: HttpResponse())
    response = guard.process_exception(
        rf.post("/api/v1/comments"), OperationalError("database is locked")
    )
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert guard.process_exception(rf.get("/"), OperationalError("no such table: x")) is None
