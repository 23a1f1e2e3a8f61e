"""Request (`…In`) and response (`…Out`) shapes of the JSON API."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema


class CommentIn(Schema):
    uri: str = Field(description="The page's URI, as the publisher registered it.")
    site: int | None = Field(None, description="Site id; the default site when omitted.")
    parent: int | None = Field(None, description="Id of the comment this replies to.")
    name: str
    email: str = ""
    website: str = ""
    body: str = Field(description="Markdown source of the comment.")


class CommentEditIn(Schema):
    body: str


class VoteIn(Schema):
    value: Literal[-1, 0, 1] = Field(description="1 up, -1 down, 0 withdraws the vote.")


class RatingIn(Schema):
    uri: str
    site: int | None = None
    stars: int = Field(ge=1, le=5)


class CountsIn(Schema):
    uris: list[str] = Field(max_length=200)
    site: int | None = None


class AuthorOut(Schema):
    name: str
    website: str | None


class ReplyToOut(Schema):
    id: int | None
    name: str


class CommentOut(Schema):
    id: int
    parent: int | None
    depth: int
    status: Literal["published", "removed", "pending"]
    author: AuthorOut | None
    reply_to: ReplyToOut | None
    html: str
    created: str
    edited: str | None
    upvotes: int
    downvotes: int
    replies: list[CommentOut]
    mine: bool | None = Field(None, description="Present when the request identifies a reader.")
    my_vote: int | None = Field(None, description="Present when the request identifies a reader.")


class RatingSummaryOut(Schema):
    average: float | None
    count: int


class PageOut(Schema):
    uri: str
    title: str
    is_open: bool
    comment_count: int
    rating: RatingSummaryOut


class ThreadOut(Schema):
    page: PageOut
    sort: Literal["newest", "oldest", "best"]
    page_number: int
    has_next: bool
    next_page: int | None
    next_cursor: str | None = Field(
        description="Pass as `after` to get the next page: unlike `page`, it never repeats or "
        "skips comments when the discussion changes in between."
    )
    comments: list[CommentOut]


class PostedCommentOut(Schema):
    comment: CommentOut
    reader: str | None = Field(
        None, description="A new signed reader token, when the request carried none. Keep it."
    )


class VoteOut(Schema):
    id: int
    upvotes: int
    downvotes: int
    my_vote: int
    reader: str | None = None


class RatingOut(Schema):
    rating: RatingSummaryOut
    my_stars: int
    reader: str | None = None


class CountsOut(Schema):
    counts: dict[str, int]


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
