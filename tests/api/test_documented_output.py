"""Every operation of the OpenAPI document answers a real request with what it declares.

The fuzz (test_fuzz.py) sends generated requests; here each operation gets a valid request
built from seeded rows (a discussion with replies, a removed comment, comments about passages
and an author's question, held, flagged and spam comments, a ban), and the answer must be a
documented status in its documented media type, with a body that validates against the
declared schema with every object closed: a field the schema does not declare fails, and so
does a required one that is missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import jsonschema_rs
import pytest
from django.core.cache import cache
from django.test import Client
from tests.accounts.tokens import enable_hs256, mint
from tests.conftest import ApiClient
from tests.inline.corpus import BUDGET

from rejoinder.accounts.email_sign_in import request_sign_in_link
from rejoinder.accounts.models import SignInSettings
from rejoinder.accounts.sessions import reader_key_for_token
from rejoinder.api.main import api
from rejoinder.comments.events import CommentPublished
from rejoinder.comments.models import Comment
from rejoinder.inline.models import Prompt
from rejoinder.inline.revisions import pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.moderation.actions import ban_commenter, moderate
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.notices.recording import record_notices
from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Article, Page, Site
from rejoinder.pages.publishing import save_article
from rejoinder.subscriptions.models import Subscription

DOCUMENT = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
QUEUES = ("pending", "flagged", "spam", "recent")


def closed(node: Any) -> Any:
    """Return a copy of a JSON schema in which no object admits a property it does not declare."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: closed(value) for key, value in node.items()}
    if "properties" in copy and "additionalProperties" not in copy:
        copy["additionalProperties"] = False
    return copy


COMPONENTS = closed(DOCUMENT["components"])


def documented_errors(
    operation: str, status: int, media_type: str, body: bytes, headers: Iterable[str] = ()
) -> list[str]:
    """Return what is wrong with an answer to `operation` ("GET /api/v1/threads"): [] if nothing.

    `headers`: the names of the answer's headers, in lower case.
    """
    method, path = operation.split(" ", 1)
    declared = DOCUMENT["paths"][path][method.lower()]["responses"].get(str(status))
    if declared is None:
        return [f"{status} is not a documented status"]
    problems = [
        f"no {name} header"
        for name, header in declared.get("headers", {}).items()
        if header.get("required") and name.lower() not in headers
    ]
    content = declared.get("content")
    if content is None:
        return problems + ([] if body == b"" else [f"{status} has no body, got {body[:80]!r}"])
    if media_type not in content:
        return [*problems, f"{media_type} is not the documented {', '.join(content)}"]
    schema = {**closed(content[media_type]["schema"]), "components": COMPONENTS}
    validator = jsonschema_rs.validator_for(schema)
    return problems + [
        f"{'/'.join(map(str, error.instance_path))}: {error.message}"
        for error in validator.iter_errors(json.loads(body))
    ]


def assert_documented(operation: str, response: Any) -> None:
    media_type = response.get("Content-Type", "").split(";")[0].strip()
    headers = {name.lower() for name in response.headers}
    # A download is streamed: its pieces make the body.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    errors = documented_errors(operation, response.status_code, media_type, content, headers)
    assert not errors, f"{operation} answered {response.status_code}: " + "; ".join(errors)


@dataclass
class World:
    """Seeded rows and the clients that act on them."""

    site: Site
    page: Page
    article: Article
    author: ApiClient
    other: ApiClient
    moderator: Client
    ids: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def world(db: None, site: Site, page: Page, django_user_model: Any, settings: Any) -> World:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_LIMITS_ENABLED": False}
    author, other, held, troll = ApiClient(), ApiClient(), ApiClient(), ApiClient()
    top = author.post_comment(page.uri, "Top *one*", website="https://ana.example").json()
    reply = other.post_comment(page.uri, "A reply", parent=top["comment"]["id"]).json()
    author.post_comment(page.uri, "Deeper", parent=reply["comment"]["id"])
    doomed = author.post_comment(page.uri, "Soon removed").json()["comment"]["id"]
    other.post_comment(page.uri, "Under the removed one", parent=doomed)
    assert author.delete(f"/comments/{doomed}").status_code == 204
    mine = author.post_comment(page.uri, "Mine to edit and delete").json()["comment"]["id"]
    other.post(f"/comments/{top['comment']['id']}/vote", {"value": 1})
    other.put("/ratings", {"uri": page.uri, "stars": 4})

    article = save_article(
        Article(slug="budget-delay", headline="Budget delayed", body=BUDGET, author_name="Ruth P.")
    )
    text = extract_text(article.body_html)
    prompt = Prompt(page=article.page, question="Was the delay the right call?")
    pin_prompt(prompt, text, text.blocks[1])
    prompt.save()
    passage = text.text[text.blocks[0].start : text.blocks[0].start + 20]
    about = author.post_comment(
        article.page.uri, "About this passage", passage={"exact": passage}
    ).json()["comment"]["id"]
    other.post_comment(article.page.uri, "An answer", prompt_id=prompt.pk)
    other.post_comment(article.page.uri, "A reply to it", parent=about)

    rules = settings_for(site)
    rules.mode = "pre"
    rules.save()
    held_id = held.post_comment(page.uri, "Waiting for a moderator").json()["comment"]["id"]
    rules.mode = "post"
    rules.save()

    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=user, site=site)
    reported = troll.post_comment(page.uri, "Reported").json()["comment"]["id"]
    author.post(f"/comments/{reported}/flag", {"reason": "abuse", "note": "rude"})
    spam = troll.post_comment(page.uri, "Buy now").json()["comment"]["id"]
    (entry,) = moderate(comment_ids=[spam], action="spam", moderator=user)
    ban = ban_commenter(comment_id=reported, moderator=user, duration=timedelta(hours=2))
    moderator = Client()
    moderator.force_login(user)
    return World(
        site=site,
        page=page,
        article=article,
        author=author,
        other=other,
        moderator=moderator,
        ids={
            "top": top["comment"]["id"],
            "mine": mine,
            "about": about,
            "held": held_id,
            "entry": entry.pk,
            "ban": ban.pk,
        },
    )


@dataclass
class Call:
    """One request: with a reader's client, or as the moderator when `client` is None."""

    method: str
    url: str
    body: Any = None
    client: ApiClient | None = None

    def send(self, world: World) -> Any:
        if self.client is not None:
            return self.client.call(self.method.lower(), self.url, self.body)
        kwargs: dict[str, Any] = {}
        if self.method != "GET":  # every write is JSON, `{}` for the operations that take no body
            kwargs = {"data": json.dumps(self.body or {}), "content_type": "application/json"}
        return getattr(world.moderator, self.method.lower())(f"/api/v1{self.url}", **kwargs)


def _sso(w: World) -> list[Call]:
    if not w.site.sso_secret:
        enable_hs256(w.site)
    reader = ApiClient()
    return [Call("POST", "/sso/exchange", {"site": w.site.pk, "token": mint(w.site)}, reader)]


def _sign_out(w: World) -> list[Call]:
    (exchange,) = _sso(w)
    exchange.send(w)
    return [Call("POST", "/sso/sign-out", {"everywhere": True}, exchange.client)]


def _email_sign_in(w: World) -> list[Call]:
    SignInSettings.objects.update_or_create(site=w.site, defaults={"email_sign_in": True})
    return [
        Call("POST", "/sign-in/email", {"site": w.site.pk, "email": "ana@example.org"}, ApiClient())
    ]


def _email_sign_in_finish(w: World) -> list[Call]:
    SignInSettings.objects.update_or_create(site=w.site, defaults={"email_sign_in": True})
    request_sign_in_link(site=w.site, email="ana@example.org", ip_hash="ip")
    text = OutboxMail.objects.filter(kind="sign_in").latest("pk").text_body
    secret = re.search(r"/sign-in/email/([^/\s]+)/", text).group(1)  # type: ignore[union-attr]
    return [Call("POST", "/sign-in/email/finish", {"token": secret, "name": "Ana"}, ApiClient())]


def _signed_in(w: World) -> ApiClient:
    (exchange,) = _sso(w)
    exchange.send(w)
    assert exchange.client is not None
    return exchange.client


def _with_notices(w: World) -> ApiClient:
    """The author, answered and mentioned, as the after-commit listener records it."""
    for comment in Comment.objects.filter(page=w.page, status="published").exclude(
        author__reader_key=reader_key_for_token(w.author.token)
    ):
        record_notices(CommentPublished(comment_id=comment.pk, page_id=w.page.pk))
    w.other.post_comment(w.page.uri, "@Ana, quite.")
    (mention,) = Comment.objects.filter(body="@Ana, quite.")
    record_notices(CommentPublished(comment_id=mention.pk, page_id=w.page.pk))
    return w.author


def _subscribed(w: World) -> tuple[ApiClient, int]:
    key = reader_key_for_token(w.author.token)
    assert key is not None
    subscription = Subscription.objects.create(
        page=w.page, email="ana@example.org", kind="replies", reader_key=key
    )
    return w.author, subscription.pk


def _site(w: World) -> str:
    return f"/moderation/sites/{w.site.pk}"


# A valid request for every operation of the document (keys: method and path as documented).
REQUESTS: dict[str, Callable[[World], list[Call]]] = {
    "GET /api/v1/threads": lambda w: [
        Call("GET", f"/threads?uri={w.page.uri}", client=ApiClient()),
        Call("GET", f"/threads?uri={w.article.page.uri}&limit=all", client=w.other),
    ],
    "POST /api/v1/comments": lambda w: [
        Call("POST", "/comments", {"uri": w.page.uri, "name": "Bo", "body": "New"}, ApiClient()),
        Call(
            "POST",
            "/comments",
            {
                "uri": w.article.page.uri,
                "name": "Bo",
                "body": "On a passage",
                "passage": {"exact": "The delay means"},
            },
            w.other,
        ),
    ],
    "PATCH /api/v1/comments/{comment_id}": lambda w: [
        Call("PATCH", f"/comments/{w.ids['mine']}", {"body": "Edited *text*"}, w.author)
    ],
    "DELETE /api/v1/comments/{comment_id}": lambda w: [
        Call("DELETE", f"/comments/{w.ids['mine']}", client=w.author)
    ],
    "POST /api/v1/comments/{comment_id}/vote": lambda w: [
        Call("POST", f"/comments/{w.ids['top']}/vote", {"value": -1}, ApiClient()),
        Call("POST", f"/comments/{w.ids['top']}/vote", {"value": 0}, w.other),
    ],
    "POST /api/v1/comments/{comment_id}/flag": lambda w: [
        Call("POST", f"/comments/{w.ids['top']}/flag", {"reason": "spam"}, ApiClient())
    ],
    "GET /api/v1/comments/{comment_id}/passage": lambda w: [
        Call("GET", f"/comments/{w.ids['about']}/passage", client=ApiClient())
    ],
    "PUT /api/v1/ratings": lambda w: [
        Call("PUT", "/ratings", {"uri": w.page.uri, "stars": 5}, ApiClient())
    ],
    "GET /api/v1/counts": lambda w: [
        Call("GET", f"/counts?uri={w.page.uri}&uri=/nowhere/", client=ApiClient())
    ],
    "POST /api/v1/counts": lambda w: [
        Call("POST", "/counts", {"uris": [w.page.uri, w.article.page.uri]}, ApiClient())
    ],
    "GET /api/v1/passages": lambda w: [
        Call("GET", f"/passages?uri={w.article.page.uri}", client=ApiClient())
    ],
    "GET /api/v1/prompts": lambda w: [
        Call("GET", f"/prompts?uri={w.article.page.uri}", client=ApiClient())
    ],
    "GET /api/v1/me/data": lambda w: [Call("GET", "/me/data", client=w.author)],
    "DELETE /api/v1/me": lambda w: [
        Call("DELETE", "/me", {"comments": "keep"}, w.other),
        Call("DELETE", "/me", {"comments": "remove"}, w.author),
    ],
    "GET /api/v1/moderation/sites": lambda w: [Call("GET", "/moderation/sites")],
    "GET /api/v1/moderation/sites/{site_id}/counts": lambda w: [Call("GET", f"{_site(w)}/counts")],
    "GET /api/v1/moderation/sites/{site_id}/queues/{name}": lambda w: [
        Call("GET", f"{_site(w)}/queues/{name}") for name in QUEUES
    ],
    "POST /api/v1/moderation/actions": lambda w: [
        Call("POST", "/moderation/actions", {"comment_ids": [w.ids["held"]], "action": "approve"})
    ],
    "POST /api/v1/moderation/audit/{entry_id}/undo": lambda w: [
        Call("POST", f"/moderation/audit/{w.ids['entry']}/undo")
    ],
    "GET /api/v1/moderation/sites/{site_id}/audit": lambda w: [Call("GET", f"{_site(w)}/audit")],
    "POST /api/v1/moderation/bans": lambda w: [
        Call("POST", "/moderation/bans", {"comment_id": w.ids["top"], "shadow": True})
    ],
    "GET /api/v1/moderation/sites/{site_id}/bans": lambda w: [Call("GET", f"{_site(w)}/bans")],
    "POST /api/v1/sso/exchange": _sso,
    "POST /api/v1/sso/sign-out": _sign_out,
    "POST /api/v1/sign-in/email": _email_sign_in,
    "POST /api/v1/sign-in/email/finish": _email_sign_in_finish,
    "GET /api/v1/me/profile": lambda w: [
        Call("GET", "/me/profile", client=_signed_in(w)),
        Call("GET", "/me/profile", client=w.author),
    ],
    "PATCH /api/v1/me/profile": lambda w: [
        Call("PATCH", "/me/profile", {"name": "Ana Lima"}, _signed_in(w))
    ],
    "GET /api/v1/me/comments": lambda w: [
        Call("GET", "/me/comments", client=w.author),
        Call("GET", "/me/comments?page=2", client=ApiClient()),
    ],
    "GET /api/v1/me/subscriptions": lambda w: [
        Call("GET", "/me/subscriptions", client=_subscribed(w)[0])
    ],
    "DELETE /api/v1/me/subscriptions/{subscription_id}": lambda w: [
        Call("DELETE", f"/me/subscriptions/{_subscribed(w)[1]}", client=w.author)
    ],
    "GET /api/v1/me/notices": lambda w: [Call("GET", "/me/notices", client=_with_notices(w))],
    "POST /api/v1/me/notices/read": lambda w: [
        Call("POST", "/me/notices/read", {}, _with_notices(w))
    ],
    "POST /api/v1/moderation/bans/{ban_id}/lift": lambda w: [
        Call("POST", f"/moderation/bans/{w.ids['ban']}/lift")
    ],
}


def test_every_documented_operation_has_a_real_request_here() -> None:
    documented = {
        f"{method.upper()} {path}"
        for path, operations in DOCUMENT["paths"].items()
        for method in operations
    }
    assert documented == set(REQUESTS)


@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_an_operation_answers_a_valid_request_as_documented(operation: str, world: World) -> None:
    for call in REQUESTS[operation](world):
        response = call.send(world)
        assert 200 <= response.status_code < 300, (operation, call.url, response.content)
        assert_documented(operation, response)


def test_thread_bodies_match_the_schema_from_the_cache_and_for_each_reader(
    world: World,
) -> None:
    """The thread read encodes its own JSON (a hot path): check every shape it can take."""
    thread = "GET /api/v1/threads"
    cache.clear()
    first = ApiClient().get(f"/threads?uri={world.page.uri}&sort=best")
    cached = ApiClient().get(f"/threads?uri={world.page.uri}&sort=best")
    assert cached.content == first.content
    held = Comment.objects.get(pk=world.ids["held"])
    rules = settings_for(world.site)
    rules.mode = "pre"
    rules.save()
    waiting = ApiClient()
    waiting.post_comment(world.page.uri, "Held too")
    answers = [
        first,
        cached,
        world.author.get(f"/threads?uri={world.page.uri}"),
        waiting.get(f"/threads?uri={world.page.uri}&limit=all"),
        world.other.get(f"/threads?uri={world.article.page.uri}&filter=inline"),
        ApiClient().get(f"/threads?uri={world.page.uri}&limit=1&sort=oldest"),
    ]
    after = answers[-1].json()["next_cursor"]
    answers.append(ApiClient().get(f"/threads?uri={world.page.uri}&limit=1&after={after}"))
    assert answers[3].json()["mine_unpublished"], "the reader's held comment is listed for them"
    assert held.status == "pending"
    for answer in answers:
        assert answer.status_code == 200
        assert_documented(thread, answer)


def test_the_check_refuses_an_undeclared_field_and_a_missing_required_one(
    world: World,
) -> None:
    """The check above can fail: a field too many or too few, or a missing header, is refused."""
    thread = "GET /api/v1/threads"
    good = ApiClient().get(f"/threads?uri={world.page.uri}").json()

    def errors(body: Any, headers: Iterable[str] = ("etag",)) -> list[str]:
        return documented_errors(
            thread, 200, "application/json", json.dumps(body).encode(), headers
        )

    assert errors(good) == []
    assert errors({**good, "comments": [{**good["comments"][0], "email": "ana@example.org"}]})
    assert errors({key: value for key, value in good.items() if key != "has_next"})
    assert errors(good, headers=()) == ["no ETag header"]
    assert documented_errors(thread, 200, "text/html", b"{}", ["etag"])
    assert documented_errors(thread, 201, "application/json", b"{}")


def test_errors_are_documented_as_problem_json(world: World) -> None:
    response = ApiClient().get("/threads?uri=/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert_documented("GET /api/v1/threads", response)
