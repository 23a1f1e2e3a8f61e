"""Fuzz every endpoint of the OpenAPI document: whatever a client sends, the answer is a 4xx at worst.

Schemathesis generates requests from the app's own schema (valid ones and ones that break it)
and sends them to the Django app in-process, through WSGI. Writes go out as JSON without an
Origin header, as a program would send them. Half of the generated page uris and ids are
swapped for those of seeded rows, so that requests also get past "not found" into the domain;
the moderation endpoints are called signed in as a moderator (with the CSRF token).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from rejoinder.api.main import api
from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.posting import post_comment
from rejoinder.moderation.actions import ban_commenter, moderate
from rejoinder.moderation.models import ModeratorRole
from rejoinder.pages.lookup import default_site, ensure_page

# Every answer is a documented status, in its documented media type (errors are
# application/problem+json) and headers, with a body of the documented shape, and never a 5xx;
# a method the path does not have answers 405 with an Allow header.
# Not negative_data_rejection and ignored_auth: _aim swaps generated values for seeded rows and
# every moderation call carries the moderator's session, so a request generated to be invalid
# or unauthenticated often no longer is. Not positive_data_acceptance: a valid request may
# still name a comment that does not exist (404) or be refused by a rule (409).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]
# Examples per endpoint: the whole fuzz (about 20 operations) stays well under a minute.
EXAMPLES = 60
CSRF = "f" * 32
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
QUEUES = ["pending", "flagged", "spam", "recent"]

# The document as served: the same dict that test_openapi.py compares with docs/openapi.json.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
)
schema.app = WSGIHandler()

pytestmark = pytest.mark.django_db


@dataclass
class Seeded:
    """What the fuzzer may aim at: real uris and ids, and a moderator's session."""

    uris: list[str]
    ids: dict[str, list[int]]
    session: str


@pytest.fixture(autouse=True)
def _kept_connection() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does.

    A real WSGI handler closes connections when a request ends, which would end the test's
    transaction (and its data) after the first request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db: None, settings: Any, django_user_model: Any) -> Seeded:
    """Pages with comments, a held and a removed comment, a ban and an audit entry."""
    # Rate limits would turn most writes into 429s after the first few examples.
    settings.REJOINDER = {**settings.REJOINDER, "RATE_LIMITS_ENABLED": False}
    site = default_site()
    uris = ["/news/budget-vote/", "/", "a"]
    pages = [ensure_page(site, uri, title="Budget vote") for uri in uris]
    key = reader_key_from_token(issue_reader_token())
    assert key
    author = commenter_for(key)
    comments = []
    for page in pages:
        first = post_comment(page=page, author=author, name="Ana", body="First.", moderated=False)
        reply = post_comment(
            page=page, author=author, name="Ana", body="Reply.", parent_id=first.pk, moderated=False
        )
        comments += [first.pk, reply.pk]
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=moderator, site=site)
    entries = moderate(comment_ids=[comments[-1]], action="remove", moderator=moderator)
    ban = ban_commenter(comment_id=comments[0], moderator=moderator, duration=timedelta(hours=1))
    client = Client()
    client.force_login(moderator)
    return Seeded(
        uris=uris,
        ids={
            "comment_id": comments,
            "parent": comments,
            "comment_ids": comments,
            "site_id": [site.pk],
            "site": [site.pk],
            "ban_id": [ban.pk],
            "entry_id": [entry.pk for entry in entries],
        },
        session=client.cookies["sessionid"].value,
    )


def _pick(value: Any, choices: list[Any]) -> Any:
    """Return a seeded choice for half of the generated values (the same one on every run)."""
    digest = zlib.crc32(repr(value).encode())
    return choices[digest // 2 % len(choices)] if digest % 2 else value


def _aim(case: Any, seeded: Seeded) -> None:
    """Point some of the case's uris and ids at seeded rows."""
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name, value in list(container.items()):
            if name in ("uri", "uris") and value is not None:
                if isinstance(value, list):
                    container[name] = [_pick(v, seeded.uris) for v in value]
                else:
                    container[name] = _pick(value, seeded.uris)
            elif name == "name" and container is case.path_parameters:
                container[name] = _pick(value, QUEUES)
            elif name in seeded.ids and isinstance(value, int) and not isinstance(value, bool):
                container[name] = _pick(value, seeded.ids[name])
            elif name == "comment_ids" and isinstance(value, list):
                container[name] = [
                    _pick(v, seeded.ids[name]) if type(v) is int else v for v in value
                ]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,  # and nothing is written to .hypothesis/
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_makes_the_server_fail(case: Any, seeded: Seeded) -> None:
    _aim(case, seeded)
    # Uncompressed answers: called in-process, nothing would undo the gzip the server applies.
    headers: dict[str, str] = {"Accept-Encoding": "identity"}
    extra: dict[str, Any] = {}
    cookies: dict[str, str] = {}
    if case.method.upper() in WRITE_METHODS:
        # Writes are JSON; the operations that take no body get an empty object.
        headers["Content-Type"] = "application/json"
        if not len(case.operation.body) and case.method.upper() != "DELETE":
            extra["data"] = b"{}"
    if "moderation" in (case.operation.tags or []):
        cookies = {"sessionid": seeded.session, "csrftoken": CSRF}
        headers["X-CSRFToken"] = CSRF
    case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS, **extra)
