"""The moderation policy that judges new comments at posting time."""

from rejoinder.comments.models import Commenter, CommentStatus
from rejoinder.comments.policy import Verdict
from rejoinder.moderation.ratelimit import enforce_rate_limit
from rejoinder.pages.models import Page


class SitePolicy:
    """Publish at once (post-moderation) after the posting rate limits pass."""

    def judge(self, *, page: Page, author: Commenter, body: str, ip_hash: str) -> Verdict:
        enforce_rate_limit("post", reader_key=author.reader_key, ip_hash=ip_hash)
        return Verdict(CommentStatus.PUBLISHED)
