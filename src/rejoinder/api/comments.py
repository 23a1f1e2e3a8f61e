"""Threads, comments and votes."""

import json
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from rejoinder.api.schemas import (
    CommentEditIn,
    CommentIn,
    CommentOut,
    Id,
    PostedCommentOut,
    ProblemOut,
    ThreadOut,
    VoteIn,
    VoteOut,
)
from rejoinder.api.serialize import comment_dict, thread_dict
from rejoinder.comments.identity import commenter_for, find_commenter
from rejoinder.comments.models import Comment
from rejoinder.comments.posting import delete_comment, edit_comment
from rejoinder.comments.thread import (
    ThreadWindow,
    decode_cursor,
    own_hidden_comments,
    parse_sort,
    read_thread,
)
from rejoinder.comments.voting import vote_on_comment, votes_by
from rejoinder.errors import InvalidInput
from rejoinder.inline.posting import PassageSelector, submit_comment
from rejoinder.inline.reading import ABOUT_A_PASSAGE, anchors_for
from rejoinder.pages.lookup import find_page
from rejoinder.request_identity import ensure_reader, ip_hash, reader_key, remember_reader
from rejoinder.subscriptions.subscribing import subscribe_author_to_replies
from rejoinder.web.conditional import conditional_answer, revalidate
from rejoinder.web.query import small_int

router = Router(tags=["comments"])
ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 403, 404, 409, 415, 422, 429), ProblemOut)
# Reads that follow the page's version: each answer has an ETag, and a request that sends it
# back in If-None-Match gets 304 and no body while nothing changed.
_ETAG = {
    "ETag": {
        "description": "Changes with the discussion; send it back in `If-None-Match`.",
        "required": True,
        "schema": {"type": "string"},
    }
}
CONDITIONAL: dict[str, Any] = {
    "parameters": [
        {
            "in": "header",
            "name": "If-None-Match",
            "required": False,
            "description": "The ETag of the answer you have: 304 while it is still current.",
            "schema": {"type": "string"},
        }
    ],
    "responses": {200: {"headers": _ETAG}, 304: {"headers": _ETAG}},
}


class ThreadQuery(Schema):
    uri: str
    site: Id | None = None
    sort: str | None = None
    page: int = 1
    after: str | None = None
    limit: str | None = None
    filter: Literal["all", "inline"] = Field(
        "all", description="`inline`: only top-level comments about a passage (with replies)."
    )


def _page_size(limit: str | None, default: int) -> int | None:
    if limit is None or limit == "":
        return default
    if limit == "all":
        return None
    number = small_int(limit)
    if number is None or not 1 <= number <= 500:
        raise InvalidInput(
            _("`limit` is a number of top-level comments from 1 to 500, or `all`."), field="limit"
        )
    return number


@router.get(
    "/threads",
    response={200: ThreadOut, 304: None, **ERRORS},
    summary="Read a discussion",
    openapi_extra=CONDITIONAL,
)
def get_thread(request: HttpRequest, q: Query[ThreadQuery]) -> HttpResponse:
    """Return one page of top-level comments with all their replies (`limit=all`: everything).

    Anonymous reads are served from a cache keyed by the page's version, so any change to the
    discussion is visible at once; a request that identifies a reader also gets `mine`/`my_vote`.
    The answer carries an ETag: send it back as `If-None-Match` to get 304 while nothing changed.
    """
    # The body is encoded here, not through `ThreadOut`: validating a thousand comments through
    # the schema costs three times what building and encoding them does (see serialize.py).
    # tests/api/test_documented_output.py validates these bodies against the schema instead.
    page = find_page(q.site, q.uri)
    site = page.site
    sort = parse_sort(q.sort, site.default_sort)
    size = _page_size(q.limit, site.page_size)
    if q.page < 1 or q.page > 100_000:
        raise InvalidInput(_("`page` must be from 1 to 100000."), field="page")
    commenter = find_commenter(reader_key(request))
    after = decode_cursor(q.after) if q.after else None
    top_level = ABOUT_A_PASSAGE if q.filter == "inline" else None
    etag = f'"{page.pk}-{page.version}-{sort.value}-{q.page}-{q.after}-{size}-{q.filter}-{commenter.pk if commenter else 0}"'
    unchanged = conditional_answer(request, etag)
    if unchanged is not None:
        return unchanged

    def read() -> ThreadWindow:
        return read_thread(
            page=page,
            sort=sort,
            page_number=q.page,
            page_size=size,
            after=after,
            top_level=top_level,
        )

    if commenter is None:
        key = f"thread:{page.pk}:{page.version}:{sort.value}:{q.page}:{q.after}:{size}:{q.filter}"
        body = cache.get(key)
        if body is None:
            window = read()
            data = thread_dict(window, anchors=_anchors(window))
            body = json.dumps(data, separators=(",", ":")).encode()
            cache.set(key, body, settings.REJOINDER["THREAD_CACHE_SECONDS"])
    else:
        window = read()
        votes = votes_by(commenter, [c.pk for c in window.comments()])
        own = own_hidden_comments(page, commenter) if q.page == 1 and after is None else []
        anchors = _anchors(window, also=own)
        data = thread_dict(
            window, reader_id=commenter.pk, my_votes=votes, anchors=anchors, own_hidden=own
        )
        body = json.dumps(data, separators=(",", ":")).encode()
    response = HttpResponse(body, content_type="application/json")
    revalidate(response, etag, private=commenter is not None)
    return response


def _anchors(window: ThreadWindow, also: list[Comment] | None = None) -> dict[int, Any]:
    """Return the passages of the window's top-level comments (replies are never anchored)."""
    top_level = [node.comment.pk for node in window.nodes]
    return anchors_for(top_level + [c.pk for c in also or [] if c.depth == 0])


@router.post(
    "/comments", response={201: PostedCommentOut, **ERRORS}, summary="Post a comment or reply"
)
def create_comment(
    request: HttpRequest, payload: CommentIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Post a comment, a reply (`parent`), or a comment about a passage (`passage`, `prompt_id`).

    A reply cannot carry a passage or a question of its own (422, field `parent`).
    """
    page = find_page(payload.site, payload.uri)
    key, new_token = ensure_reader(request)
    author = commenter_for(key, just_issued=new_token is not None)
    client_ip = ip_hash(request)
    passage = payload.passage
    comment = submit_comment(
        page=page,
        author=author,
        name=payload.name,
        email=payload.email,
        website=payload.website,
        body=payload.body,
        ip_hash=client_ip,
        parent_id=payload.parent,
        selector=PassageSelector(**passage.model_dump()) if passage is not None else None,
        prompt_id=payload.prompt_id,
    )
    subscribed = (
        subscribe_author_to_replies(comment=comment, ip_hash=client_ip)
        if payload.notify_replies
        else None
    )
    about_a_passage = passage is not None or payload.prompt_id is not None
    anchors = anchors_for([comment.pk]) if about_a_passage else {}
    remember_reader(response, new_token)
    return Status(
        201,
        {
            "comment": comment_dict(comment, [], reader_id=comment.author_id, anchors=anchors),
            "reader": new_token,
            "notify_replies": (
                {"status": subscribed.status, "detail": subscribed.message} if subscribed else None
            ),
        },
    )


@router.patch(
    "/comments/{comment_id}", response={200: CommentOut, **ERRORS}, summary="Edit your comment"
)
def update_comment(request: HttpRequest, comment_id: Id, payload: CommentEditIn) -> dict[str, Any]:
    editor = find_commenter(reader_key(request))
    comment = edit_comment(comment_id=comment_id, editor=editor, body=payload.body)
    return comment_dict(comment, [], reader_id=comment.author_id)


@router.delete(
    "/comments/{comment_id}", response={204: None, **ERRORS}, summary="Delete your comment"
)
def remove_comment(request: HttpRequest, comment_id: Id) -> HttpResponse:
    """Delete the comment; one with replies stays as a "[removed]" placeholder."""
    delete_comment(comment_id=comment_id, requester=find_commenter(reader_key(request)))
    return HttpResponse(status=204)


@router.post(
    "/comments/{comment_id}/vote", response={200: VoteOut, **ERRORS}, summary="Vote on a comment"
)
def vote(
    request: HttpRequest, comment_id: Id, payload: VoteIn, response: HttpResponse
) -> dict[str, Any]:
    key, new_token = ensure_reader(request)
    comment = vote_on_comment(
        comment_id=comment_id,
        voter=commenter_for(key),
        value=payload.value,
        ip_hash=ip_hash(request),
    )
    remember_reader(response, new_token)
    return {
        "id": comment.pk,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "my_vote": payload.value,
        "reader": new_token,
    }
