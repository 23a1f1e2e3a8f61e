"""The moderation verdict that posting asks for, declared here and provided by `moderation`.

`comments` declares what it needs; the moderation app registers its implementation in
`AppConfig.ready()`, so comments never imports moderation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from rejoinder.comments.models import Commenter, CommentStatus
from rejoinder.pages.models import Page


@dataclass(frozen=True)
class Submission:
    """Everything posting knows about a new comment, before it is stored."""

    page: Page
    author: Commenter  # may be unsaved: a reader's first write
    body: str  # the cleaned Markdown source
    ip_hash: str = ""
    name: str = ""
    email: str = ""
    honeypot: str = ""  # the form's hidden field; people leave it empty
    elapsed_seconds: float | None = None  # form rendered to submitted; None when unknown


@dataclass(frozen=True)
class Reason:
    """Why a comment was held: a short code for machines and a sentence for moderators."""

    code: str
    text: str


@dataclass(frozen=True)
class Verdict:
    status: CommentStatus
    reasons: tuple[Reason, ...] = ()
    spam_score: float | None = None
    suspected_spam: bool = False
    shadowed: bool = False
    # What the spam filter knew besides the text, stored so later decisions teach it the same.
    signals: dict[str, Any] | None = field(default=None, hash=False)


class ModerationPolicy(Protocol):
    def judge(self, submission: Submission) -> Verdict:
        """Decide the new comment's status inside the posting transaction.

        Raise a RejoinderError (InvalidInput, Forbidden, RateLimited) to refuse it, with a
        message the reader can act on.
        """
        ...


class _PublishAll:
    def judge(self, submission: Submission) -> Verdict:
        return Verdict(CommentStatus.PUBLISHED)


_policy: ModerationPolicy = _PublishAll()


def set_moderation_policy(policy: ModerationPolicy) -> None:
    """Install the policy that judges every new comment (called once, from AppConfig.ready)."""
    global _policy
    _policy = policy


def moderation_policy() -> ModerationPolicy:
    return _policy
