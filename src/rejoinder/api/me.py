"""The reader's own: profile, comments, mail subscriptions and notices (`/me/…`).

The reader is whoever `X-Rejoinder-Reader` (or the cookie) names: a session's account, or a
guest by their reader key. A guest has no profile to change (403), and a reader we never met
has no comments, subscriptions or notices.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from rejoinder.accounts.models import Account
from rejoinder.accounts.profile import comments_by, rename
from rejoinder.accounts.sessions import live_session
from rejoinder.api.schemas import Id, ProblemOut, StrictIn
from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Commenter
from rejoinder.errors import Forbidden
from rejoinder.notices.reading import mark_all_read, notices_of, unread_count
from rejoinder.request_identity import reader_key, reader_token
from rejoinder.subscriptions.subscribing import end_reader_subscription, subscriptions_of_reader
from rejoinder.web.links import comment_link

router = Router(tags=["me"])
ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 403, 404, 409, 415, 422, 429), ProblemOut)


class ProfileOut(Schema):
    signed_in: bool = Field(description="Whether the token is a live session of an account.")
    name: str = Field(description="The name shown with the reader's comments.")
    avatar: str
    profile: str
    roles: list[str]
    unread_notices: int


class ProfileIn(StrictIn):
    name: str = Field(description="The new display name; checked like a name given when posting.")


class PageRefOut(Schema):
    id: int
    title: str
    url: str


class OwnCommentOut(Schema):
    id: int
    page: PageRefOut
    status: Literal["published", "pending", "removed"] = Field(
        description="`pending`: awaiting moderation; `removed`: by a moderator or the author."
    )
    created_at: datetime
    body: str
    link: str | None = Field(description="Where the comment is shown; null when it is not.")


class OwnCommentsOut(Schema):
    items: list[OwnCommentOut]
    next_page: int | None


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)


class SubscriptionOut(Schema):
    id: int
    page: PageRefOut
    kind: Literal["page", "replies"]
    email: str
    confirmed: bool


class SubscriptionsOut(Schema):
    items: list[SubscriptionOut]


class NoticeOut(Schema):
    id: int
    kind: Literal["reply", "mention"]
    created_at: datetime
    read: bool
    comment_id: int
    author_name: str
    page: PageRefOut
    excerpt: str
    link: str


class NoticesOut(Schema):
    unread: int
    items: list[NoticeOut]
    next_page: int | None


class MarkReadIn(StrictIn):
    up_to: Id | None = Field(
        None, description="Mark only notices with ids up to this one (the newest you showed)."
    )


class MarkReadOut(Schema):
    marked: int
    unread: int


def _account(request: HttpRequest) -> Account | None:
    session = live_session(reader_token(request))
    return session.account if session else None


def _commenter(request: HttpRequest) -> Commenter | None:
    return find_commenter(reader_key(request))


def _page(page: Any) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title, "url": page.get_absolute_url()}


def _profile(account: Account | None, commenter: Commenter | None) -> dict[str, Any]:
    return {
        "signed_in": account is not None,
        "name": account.display_name if account else (commenter.display_name if commenter else ""),
        "avatar": account.avatar_url if account else "",
        "profile": account.profile_url if account else "",
        "roles": list(account.roles) if account else [],
        "unread_notices": unread_count(commenter),
    }


@router.get("/me/profile", response={200: ProfileOut, **ERRORS}, summary="Your profile")
def get_profile(request: HttpRequest) -> dict[str, Any]:
    account = _account(request)
    return _profile(account, account.commenter if account else _commenter(request))


@router.patch(
    "/me/profile", response={200: ProfileOut, **ERRORS}, summary="Change your display name"
)
def update_profile(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    """The new name shows on all your comments. Signed-in readers only (403 for a guest)."""
    account = _account(request)
    if account is None:
        raise Forbidden(_("Sign in to choose the name shown with your comments."), field="name")
    rename(account, payload.name)
    return _profile(account, account.commenter)


@router.get(
    "/me/comments", response={200: OwnCommentsOut, **ERRORS}, summary="Your comments, newest first"
)
def my_comments(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    commenter = _commenter(request)
    if commenter is None:
        return {"items": [], "next_page": None}
    own, more = comments_by(commenter, page_number=q.page)
    return {
        "items": [
            {
                "id": o.comment.pk,
                "page": _page(o.comment.page),
                "status": o.status,
                "created_at": o.comment.created_at,
                "body": o.comment.body,
                "link": comment_link(o.comment) if o.visible else None,
            }
            for o in own
        ],
        "next_page": q.page + 1 if more else None,
    }


@router.get(
    "/me/subscriptions",
    response={200: SubscriptionsOut, **ERRORS},
    summary="Your mail subscriptions",
)
def my_subscriptions(request: HttpRequest) -> dict[str, Any]:
    key = reader_key(request)
    subscriptions = subscriptions_of_reader(key) if key else []
    return {
        "items": [
            {
                "id": s.pk,
                "page": _page(s.page),
                "kind": s.kind,
                "email": s.email,
                "confirmed": s.confirmed_at is not None,
            }
            for s in subscriptions
        ]
    }


@router.delete(
    "/me/subscriptions/{subscription_id}",
    response={204: None, **ERRORS},
    summary="Unsubscribe",
)
def unsubscribe(request: HttpRequest, subscription_id: Id) -> HttpResponse:
    """End one of your subscriptions: no more mail from it. 404 for anyone else's."""
    end_reader_subscription(reader_key=reader_key(request) or "", subscription_id=subscription_id)
    return HttpResponse(status=204)


@router.get(
    "/me/notices",
    response={200: NoticesOut, **ERRORS},
    summary="Replies to your comments and mentions of you",
)
def my_notices(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    commenter = _commenter(request)
    if commenter is None:
        return {"unread": 0, "items": [], "next_page": None}
    found, more = notices_of(commenter, page_number=q.page)
    return {
        "unread": unread_count(commenter),
        "items": [
            {
                "id": n.pk,
                "kind": n.kind,
                "created_at": n.created_at,
                "read": n.read_at is not None,
                "comment_id": n.comment_id,
                "author_name": n.comment.author_name,
                "page": _page(n.comment.page),
                "excerpt": n.comment.body[:200],
                "link": comment_link(n.comment),
            }
            for n in found
        ],
        "next_page": q.page + 1 if more else None,
    }


@router.post(
    "/me/notices/read", response={200: MarkReadOut, **ERRORS}, summary="Mark your notices read"
)
def read_notices(request: HttpRequest, payload: MarkReadIn) -> dict[str, Any]:
    commenter = _commenter(request)
    if commenter is None:
        return {"marked": 0, "unread": 0}
    marked = mark_all_read(commenter, up_to=payload.up_to)
    return {"marked": marked, "unread": unread_count(commenter)}
