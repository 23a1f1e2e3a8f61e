"""Fixtures shared by the whole suite: a site, pages, readers and a JSON API client."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Commenter
from rejoinder.pages.lookup import default_site, ensure_page
from rejoinder.pages.models import Page, Site


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium `browser`, however it reaches the fixture."""
    for item in items:
        uses = getattr(item, "fixturenames", ())
        if "browser" in uses and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _processes_are_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail a test that starts a process without the `processes` marker.

    `make test-fast` selects by marker; an unmarked test that starts a server or a worker
    would make it slow again without anyone noticing.
    """
    node = request.node
    if node.get_closest_marker("processes") or node.get_closest_marker("browser"):
        return

    def refuse(self: subprocess.Popen[bytes], args: Any, *rest: Any, **kwargs: Any) -> None:
        raise AssertionError(
            f"{node.nodeid} starts a process ({args!r}): mark it @pytest.mark.processes"
        )

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on a free loopback port that REJOINDER_EMAIL_URL points at."""
    sink = SmtpSink()
    sink.start()
    settings.REJOINDER = {**settings.REJOINDER, "EMAIL_URL": sink.url}
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def site(db: None) -> Site:
    return default_site()


@pytest.fixture
def page(site: Site) -> Page:
    return ensure_page(site, "/news/budget-vote/", title="Budget vote")


@pytest.fixture
def make_reader(db: None) -> Callable[[], Commenter]:
    def make() -> Commenter:
        key = reader_key_from_token(issue_reader_token())
        assert key
        return commenter_for(key)

    return make


@pytest.fixture
def reader(make_reader: Callable[[], Commenter]) -> Commenter:
    return make_reader()


class ApiClient:
    """A JSON client for /api/v1 that keeps its reader token like the widget does."""

    def __init__(self) -> None:
        self.client = Client()
        self.token: str | None = None

    def _headers(self) -> dict[str, str]:
        return {"X-Rejoinder-Reader": self.token} if self.token else {}

    def call(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": {**self._headers(), **extra.pop("headers", {})}}
        if data is not None:
            kwargs["data"] = json.dumps(data) if not isinstance(data, (str, bytes)) else data
            kwargs["content_type"] = extra.pop("content_type", "application/json")
        response = getattr(self.client, method)(f"/api/v1{path}", **kwargs, **extra)
        if not response.streaming and response.get("Content-Type", "").startswith(
            ("application/json", "application/problem")
        ):
            body = response.json()
            if isinstance(body, dict) and body.get("reader"):
                self.token = body["reader"]
        return response

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("get", path, **extra)

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.call("post", path, data, **extra)

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.call("patch", path, data, **extra)

    def put(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.call("put", path, data, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.call("delete", path, **extra)

    def post_comment(
        self,
        uri: str,
        body: str = "A fair point.",
        *,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        return self.post(
            "/comments",
            {"uri": uri, "name": fields.pop("name", "Ana"), "body": body, **fields},
            headers=headers or {},
        )


@pytest.fixture
def api(db: None) -> ApiClient:
    return ApiClient()


@pytest.fixture
def make_api(db: None) -> Callable[[], ApiClient]:
    return ApiClient
