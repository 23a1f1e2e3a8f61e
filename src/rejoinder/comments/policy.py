"""The moderation verdict that posting asks for, declared here and provided by `moderation`.

`comments` declares what it needs; the moderation app registers its implementation in
`AppConfig.ready()`, so comments never imports moderation.
"""

from dataclasses import dataclass
from typing import Protocol

from rejoinder.comments.models import Commenter, CommentStatus
from rejoinder.pages.models import Page


@dataclass(frozen=True)
class Verdict:
    status: CommentStatus
    reason: str = ""


class ModerationPolicy(Protocol):
    def judge(self, *, page: Page, author: Commenter, body: str, ip_hash: str) -> Verdict:
        """Decide the new comment's status inside the posting transaction; may raise RejoinderError."""
        ...


class _PublishAll:
    def judge(self, *, page: Page, author: Commenter, body: str, ip_hash: str) -> Verdict:
        return Verdict(CommentStatus.PUBLISHED)


_policy: ModerationPolicy = _PublishAll()


def set_moderation_policy(policy: ModerationPolicy) -> None:
    """Install the policy that judges every new comment (called once, from AppConfig.ready)."""
    global _policy
    _policy = policy


def moderation_policy() -> ModerationPolicy:
    return _policy
