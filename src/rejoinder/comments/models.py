"""Who comments, what they wrote, and how readers voted on it."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.pages.models import Page


class Commenter(models.Model):
    """A guest (known by a server-issued reader key) or a signed-in account.

    The email is private: never shown, never an identity.
    """

    reader_key = models.CharField(max_length=64, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PUBLISHED = "published", _("Published")
    SPAM = "spam", _("Spam")
    REMOVED = "removed", _("Removed")


class Comment(models.Model):
    """One comment: its Markdown source, the sanitised HTML rendered once, and its place in the tree.

    `root` is the top-level comment of a reply's thread (empty on top-level comments, so posting
    one needs no second write), so a window of top-level comments and all their replies load in
    two queries. `reply_to` is whom it answers
    when the parent had to be clamped to the site's maximum depth.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Commenter, on_delete=models.PROTECT, related_name="comments")
    author_name = models.CharField(max_length=200)  # imports keep longer names
    author_website = models.URLField(max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_to_name = models.CharField(max_length=200, blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    body_html = models.TextField()
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    # Wilson lower bound of up/down votes, kept with the tallies so "best" sorts by an index.
    score = models.FloatField(default=0.0)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    # A hash of the body, so finding the same text posted again is an index lookup.
    body_digest = models.CharField(max_length=32, blank=True, editable=False)
    # Why moderation held or flagged it: [{"code": "links", "text": "Contains links"}, ...].
    moderation_reasons = models.JSONField(default=list, blank=True, editable=False)
    spam_score = models.FloatField(null=True, blank=True, editable=False)
    # Held as spam by the filter (pending), so the queue can tell it from other held comments.
    suspected_spam = models.BooleanField(default=False, editable=False)
    # A shadow-banned author's comment: stored pending, never counted or notified, shown
    # to its author alone as if published.
    shadowed = models.BooleanField(default=False, editable=False)
    # What the spam filter knew besides the text when it was posted, so a moderator's
    # decision teaches (and an undo unteaches) the model with the same evidence.
    spam_signals = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["page", "depth", "created_at"], name="comment_top_by_time"),
            models.Index(fields=["page", "depth", "score"], name="comment_top_by_score"),
            models.Index(fields=["root", "created_at"], name="comment_by_root"),
            models.Index(fields=["status", "created_at"], name="comment_by_status"),
            models.Index(fields=["author", "status"], name="comment_by_author_status"),
            # What the spam filter counts at posting: the same text, and the same IP, lately.
            models.Index(fields=["body_digest", "created_at"], name="comment_by_digest"),
            models.Index(fields=["ip_hash", "created_at"], name="comment_by_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"

    @property
    def is_removed(self) -> bool:
        return self.status == CommentStatus.REMOVED

    @property
    def published_for_author(self) -> bool:
        """Tell whether its author sees it as published: it is, or they are shadow-banned.

        A shadow-banned author must not be able to tell, so their comments behave for them as
        published ones do (editable, answerable), while nobody else sees them.
        """
        return self.status == CommentStatus.PUBLISHED or (
            self.status == CommentStatus.PENDING and self.shadowed
        )

    def is_editable(self, now: datetime, window_minutes: int) -> bool:
        """Tell whether the author may still edit: published (to them) and inside the edit window."""
        if not self.published_for_author:
            return False
        return now - self.created_at <= timedelta(minutes=window_minutes)


def body_digest(body: str) -> str:
    """Return the digest stored with a comment's body (equal bodies, equal digests)."""
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def wilson_lower_bound(up: int, down: int, z: float = 1.96) -> float:
    """Return the lower bound of the 95% Wilson interval for the share of upvotes."""
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - spread) / (1 + z * z / n)


class Vote(models.Model):
    """One reader's +1 or -1 on one comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=[(1, "+1"), (-1, "-1")])
    created_at = models.DateTimeField(default=timezone.now)
    # The network address it was counted from, as that day's keyed hash
    # (`limits.addresses.address_of_the_day`), and which of the places the site gives one
    # address on one comment it holds; empty when the address was not known.
    address = models.CharField(max_length=32, blank=True, editable=False)
    address_place = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="vote_one_per_reader"),
            models.CheckConstraint(
                condition=models.Q(value__in=[1, -1]), name="vote_is_plus_or_minus_one"
            ),
            # Each place of an address on a comment holds one vote, so concurrent votes from
            # one address can never count more than the places there are.
            models.UniqueConstraint(
                fields=["comment", "address", "address_place"],
                condition=models.Q(address_place__isnull=False),
                name="vote_one_per_address_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on {self.comment_id} by {self.voter_id}"


class DiscardedVotes(models.Model):
    """How many votes on a comment were not counted on one day (UTC).

    A vote is discarded when the address it came from already holds every place the site
    gives one address on a comment (`Site.max_votes_per_address`). Moderators see the count.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("votes not counted")
        verbose_name_plural = _("votes not counted")
        constraints = [
            models.UniqueConstraint(fields=["comment", "day"], name="discardedvotes_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.count} on {self.comment_id} ({self.day})"
