"""How every surface answers a refusal: problem+json for the box's script and the API, or the
page that explains, from one set of helpers."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from rejoinder.errors import InvalidFields, InvalidInput, NotFound, RateLimited
from rejoinder.web.responses import problem, refuse, wants_fragment

FRAGMENT = {"X-Rejoinder-Fragment": "1"}


def test_a_problem_is_rfc_9457_json_with_its_extra_members() -> None:
    response = problem(422, "Invalid input", "Write something first.", field="body")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content) == {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 422,
        "detail": "Write something first.",
        "field": "body",
    }


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("", False)])
def test_only_the_boxs_header_asks_for_a_fragment(value: str, expected: bool) -> None:
    request = RequestFactory().get("/", headers={"X-Rejoinder-Fragment": value})
    assert wants_fragment(request) is expected
    assert wants_fragment(RequestFactory().get("/")) is False


def test_a_refusal_tells_the_script_every_refused_field() -> None:
    request = RequestFactory().post("/", headers=FRAGMENT)
    refusal = InvalidFields(
        [InvalidInput("Write a comment.", field="body"), InvalidInput("Too long.", field="name")]
    )

    response = refuse(request, refusal, "widget/message.html", {})

    assert response.status_code == 422
    assert json.loads(response.content) == {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 422,
        "detail": "Write a comment.",
        "field": "body",
        "errors": [
            {"field": "body", "detail": "Write a comment."},
            {"field": "name", "detail": "Too long."},
        ],
    }


def test_a_refusal_shows_a_person_the_page_that_explains(db: None) -> None:
    request = RequestFactory().get("/")

    response = refuse(request, NotFound("That comment is gone."), "widget/message.html", {})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "That comment is gone." in response.content.decode()


@pytest.mark.parametrize("headers", [FRAGMENT, {}])
def test_a_rate_limit_says_when_to_come_back(headers: dict[str, str], db: None) -> None:
    request = RequestFactory().post("/", headers=headers)

    response = refuse(request, RateLimited("Slow down.", retry_after=42), "widget/message.html", {})

    assert response.status_code == 429
    assert response["Retry-After"] == "42"
