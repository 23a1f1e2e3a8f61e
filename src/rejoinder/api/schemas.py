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


class FlagIn(Schema):
    reason: Literal["spam", "abuse", "off-topic", "other"]
    note: str = Field("", description="Optional, up to 500 characters, for the moderators.")


class FlagOut(Schema):
    id: int
    comment: int
    reason: str
    reader: str | None = Field(
        None, description="A new signed reader token, when the request carried none. Keep it."
    )


class QueueCountsOut(Schema):
    pending: int
    flagged: int
    spam: int
    recent: int = Field(description="Comments posted in the last 24 hours.")


class ModeratedSiteOut(Schema):
    id: int
    name: str
    counts: QueueCountsOut


class HistoryOut(Schema):
    published: int
    removed: int
    spam: int
    first_seen: str | None


class ModeratedCommentOut(Schema):
    id: int
    status: Literal["pending", "published", "spam", "removed"]
    shadowed: bool
    author_name: str
    body: str = Field(description="Markdown source; treat as untrusted text.")
    html: str = Field(description="Sanitised HTML.")
    created: str
    page_id: int
    page_uri: str
    page_title: str
    parent: int | None


class ParentOut(Schema):
    id: int
    author_name: str
    body: str


class FlagCountOut(Schema):
    reason: str
    count: int


class QueueItemOut(Schema):
    comment: ModeratedCommentOut
    parent: ParentOut | None
    quote: str = Field(description="The passage an inline comment is about; empty otherwise.")
    history: HistoryOut
    reasons: list[str]
    spam_score: float | None
    flags: list[FlagCountOut]


class QueueOut(Schema):
    queue: str
    items: list[QueueItemOut]
    next_before: int | None = Field(description="Pass as `before` for the next page.")


class ModerateIn(Schema):
    comment_ids: list[int] = Field(min_length=1, max_length=200)
    action: Literal["approve", "remove", "spam", "restore"]
    note: str = ""


class AuditEntryOut(Schema):
    id: int
    action: str
    moderator: str | None
    comment: int | None
    ban: int | None
    previous_status: str
    new_status: str
    note: str
    created: str
    undone_by: int | None


class AuditListOut(Schema):
    entries: list[AuditEntryOut]


class BanIn(Schema):
    comment_id: int
    duration_hours: float | None = Field(None, gt=0, description="Omit or null: forever.")
    by_reader: bool = True
    by_email: bool = True
    by_ip: bool = False
    shadow: bool = False
    reason: str = ""


class BanOut(Schema):
    id: int
    site: int
    commenter: int | None
    by_email: bool
    by_ip: bool
    shadow: bool
    until: str | None
    reason: str
    created: str
    lifted: str | None
