"""Request (`…In`) and response (`…Out`) shapes of the JSON API."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

# Ids are positive and fit the 64-bit primary keys; a larger number would overflow the
# database driver before any query could say "not found".
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Offsets in an article's text are stored in PostgreSQL's 32-bit integer columns.
MAX_OFFSET = 2**31 - 1
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
MAX_BAN_HOURS = 100 * 366 * 24  # a century: longer is "forever", which is null


class StrictIn(Schema):
    """A request body, validated in pydantic's strict mode: a value must already have its JSON
    type. `true` is not 1, `"5"` is not 5 and `1.0` is not an integer; no field is coerced."""

    model_config = ConfigDict(strict=True)


class PassageIn(StrictIn):
    """A passage of the page's text, as W3C Web Annotation selectors describe it."""

    exact: str = Field("", description="The selected text (TextQuoteSelector `exact`).")
    prefix: str = Field("", description="Text just before the selection (about 32 characters).")
    suffix: str = Field("", description="Text just after the selection (about 32 characters).")
    start: Offset | None = Field(
        None,
        description="Offset of the selection in the page's plain text, in Unicode code points "
        "(TextPositionSelector). Used to pick the occurrence when it holds `exact`; enough on "
        "its own for articles published by this server.",
    )
    end: Offset | None = Field(None, description="Offset just after the selection.")


class CommentIn(StrictIn):
    uri: str = Field(description="The page's URI, as the publisher registered it.")
    site: Id | None = Field(None, description="Site id; the default site when omitted.")
    parent: Id | None = Field(None, description="Id of the comment this replies to.")
    name: str
    email: str = ""
    website: str = ""
    body: str = Field(description="Markdown source of the comment.")
    passage: PassageIn | None = Field(
        None,
        description="The passage a top-level comment is about. On a page whose text this server "
        "knows, `exact` must occur in it; otherwise it is stored as given.",
    )
    prompt_id: Id | None = Field(
        None, description="Id of the author's question (see /prompts) this comment answers."
    )
    notify_replies: bool = Field(
        False,
        description="Also subscribe `email` to replies to this reader's comments on the page "
        '(the comment form\'s "notify me of replies"). The first time an address is used on '
        "a site, a link mailed to it confirms the subscription. The comment is posted whatever "
        "becomes of the subscription: `notify_replies` in the answer says.",
    )


class CommentEditIn(StrictIn):
    body: str


class VoteIn(StrictIn):
    # Not a Literal: pydantic matches literals by equality, and true == 1 in Python.
    value: int = Field(ge=-1, le=1, description="1 up, -1 down, 0 withdraws the vote.")


class RatingIn(StrictIn):
    uri: str
    site: Id | None = None
    stars: int = Field(ge=1, le=5)


class CountsIn(StrictIn):
    uris: list[str] = Field(max_length=200)
    site: Id | None = None


class AuthorOut(Schema):
    name: str
    website: str | None


class ReplyToOut(Schema):
    id: int | None
    name: str


class PlacementOut(Schema):
    start: int
    end: int


class PassageOut(Schema):
    exact: str = Field(description="The passage as the commenter selected it.")
    prefix: str
    suffix: str
    start: int | None = Field(description="Offsets in the revision it was made on.")
    end: int | None
    revision: int | None = Field(
        description="Number of the article revision it was made on; null when the page's text "
        "is not known to this server."
    )
    current: PlacementOut | None = Field(
        description="Where the passage is in the current text; null when orphaned or unknown."
    )
    found_by: Literal["created", "position", "quote", "fuzzy", "orphaned"]
    orphaned: bool = Field(description="The passage could not be found after an edit.")
    changed: bool = Field(description="The text there was edited since the comment was made.")


class PromptRefOut(Schema):
    id: int
    question: str


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
    passage: PassageOut | None = Field(
        None, description="The passage a top-level comment is about; null for other comments."
    )
    prompt: PromptRefOut | None = Field(None, description="The question the comment answers.")
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
    mine_unpublished: list[CommentOut] | None = Field(
        None,
        description="Only for a request that identifies a reader, on the first page: their own "
        "comments on this page that others do not see yet (waiting for a moderator), oldest first.",
    )


class NotifyRepliesOut(Schema):
    status: Literal["subscribed", "confirmation_sent", "needs_email", "refused"] = Field(
        description="`subscribed`: replies will be mailed; `confirmation_sent`: a link mailed to "
        "the address confirms it; `needs_email`: the comment gave no address; `refused`: "
        "not subscribed, `detail` says why (too many subscriptions at once, for one)."
    )
    detail: str = Field(description="What to tell the reader.")


class PostedCommentOut(Schema):
    comment: CommentOut
    reader: str | None = Field(
        None, description="A new signed reader token, when the request carried none. Keep it."
    )
    notify_replies: NotifyRepliesOut | None = Field(
        None,
        description="How the subscription asked for with `notify_replies` went; null when "
        "it was not asked for.",
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


class PassageViewOut(Schema):
    start: int | None = Field(description="Offsets in the current text (null: text not known).")
    end: int | None
    exact: str
    prefix: str
    suffix: str
    comment_ids: list[int] = Field(description="Published top-level comments on this span.")
    count: int
    changed: bool


class PassagesOut(Schema):
    revision: int | None = Field(description="The current revision number of the page's text.")
    passages: list[PassageViewOut]


class PromptOut(Schema):
    id: int
    question: str
    block: int = Field(description="Index of the paragraph (block) in the plain text.")
    start: int
    end: int
    exact: str
    answer_count: int


class PromptsOut(Schema):
    prompts: list[PromptOut]


class OriginalPassageOut(Schema):
    comment: int
    exact: str
    prefix: str
    suffix: str
    revision: int
    revision_created: str
    start: int = Field(description="Offsets of the passage in that revision's text.")
    end: int
    context: str = Field(description="The paragraph(s) holding the passage in that revision.")
    context_start: int = Field(description="Offset of `context` in that revision's text.")


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    reason: str | None = Field(None, description="Why a sign-in token was refused, as a code.")


class FlagIn(StrictIn):
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


class ModerateIn(StrictIn):
    comment_ids: list[Id] = Field(min_length=1, max_length=200)
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


class BanIn(StrictIn):
    comment_id: Id
    duration_hours: float | None = Field(
        None, gt=0, le=MAX_BAN_HOURS, description="Omit or null: forever."
    )
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


class SsoExchangeIn(StrictIn):
    site: Id
    token: str = Field(
        max_length=16384,
        description="The JWT the publisher's server signed for its signed-in reader "
        "(docs/identity.md); tokens over 4096 characters are refused.",
    )


class AccountOut(Schema):
    name: str
    avatar: str = Field(description="The avatar URL the publisher gave, or empty.")
    profile: str
    roles: list[str]
    email_verified: bool


class SsoExchangeOut(Schema):
    reader: str = Field(
        description="The session token: send it as `X-Rejoinder-Reader` from now on."
    )
    account: AccountOut
    merged: bool = Field(description="Whether this browser's guest history joined the account.")


class SignOutIn(StrictIn):
    everywhere: bool = Field(
        False, description="End every session of the account, not just this one."
    )


class SignOutOut(Schema):
    ended: int = Field(description="How many sessions were ended (0: none was live).")


class ErasureIn(StrictIn):
    comments: Literal["remove", "keep"] = Field(
        description="What happens to your comments: `remove` takes them away (one that others "
        "replied to stays as a “[removed]” placeholder), `keep` leaves them under “[deleted]”."
    )


class ErasureOut(Schema):
    comments: Literal["remove", "keep"]
    erased: dict[str, int] = Field(description="How many rows of each kind were erased.")


class DataPageOut(Schema):
    site: str
    uri: str
    title: str
    url: str | None


class DataReaderOut(Schema):
    name: str
    email: str | None
    website: str | None
    created: str | None


class DataPassageOut(Schema):
    exact: str
    prefix: str
    suffix: str


class DataCommentOut(Schema):
    id: int
    status: Literal["pending", "published", "spam", "removed"]
    page: DataPageOut
    parent: int | None
    name: str
    website: str | None
    created: str | None
    edited: str | None
    body: str
    passage: DataPassageOut | None
    upvotes: int
    downvotes: int


class DataVoteOut(Schema):
    comment: int
    value: int
    created: str | None


class DataRatingOut(Schema):
    page: DataPageOut
    stars: int
    created: str | None
    updated: str | None


class DataSubscriptionOut(Schema):
    page: DataPageOut
    email: str
    kind: Literal["page", "replies"]
    confirmed: bool
    created: str | None
    confirmed_at: str | None
    unsubscribed_at: str | None


class DataAddressOut(Schema):
    site: str
    email: str
    confirmed_at: str | None


class DataFlagOut(Schema):
    comment: int
    reason: str
    note: str
    created: str | None


class DataMailOut(Schema):
    to: str
    subject: str
    status: str
    created: str | None
    text: str


class DataSignInOut(Schema):
    provider: str = Field(description="`sso`, `email` or `oidc:<issuer>`.")
    subject: str = Field(description="The reader's id at that provider.")
    created: str | None


class DataSessionOut(Schema):
    provider: str
    created: str | None
    expires: str | None
    revoked: str | None


class DataAccountOut(Schema):
    site: str
    name: str
    email: str | None
    email_verified: bool
    avatar_url: str | None
    profile_url: str | None
    roles: list[str]
    created: str | None
    last_sign_in: str | None
    sign_in_methods: list[DataSignInOut]
    sessions: list[DataSessionOut]


class DataNoticeOut(Schema):
    comment: int
    kind: Literal["reply", "mention"]
    created: str | None
    read: str | None


class ReaderDataOut(Schema):
    """Everything the server holds about the reader (docs/privacy.md)."""

    format: Literal["rejoinder.reader-data"]
    version: int
    exported_at: str
    readers: list[DataReaderOut]
    comments: list[DataCommentOut]
    votes: list[DataVoteOut]
    ratings: list[DataRatingOut]
    subscriptions: list[DataSubscriptionOut]
    confirmed_addresses: list[DataAddressOut]
    flags: list[DataFlagOut]
    queued_mail: list[DataMailOut]
    accounts: list[DataAccountOut] = Field(description="A signed-in reader's accounts.")
    notices: list[DataNoticeOut] = Field(description="Replies to the reader and mentions of them.")
