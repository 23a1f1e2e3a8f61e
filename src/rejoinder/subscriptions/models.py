"""Who wants mail about which discussion, and what is waiting to be sent to them."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page, Site


class SubscriptionKind(models.TextChoices):
    PAGE = "page", _("New follow-up comments")
    REPLIES = "replies", _("New replies to my comments")


def _new_salt() -> str:
    return secrets.token_urlsafe(12)


class Subscription(models.Model):
    """One address's wish for mail about one page.

    Nothing is sent until `confirmed_at` is set by following the confirmation link (or the
    same reader confirmed this address on this site before). `token_salt` is mixed into every
    signed link for this subscription, so a link can neither be forged nor reused for another.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(_("email"), max_length=254)
    kind = models.CharField(max_length=10, choices=SubscriptionKind.choices)
    reader_key = models.CharField(max_length=64, editable=False)
    token_salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "email", "kind"], name="subscription_one_per_address_kind"
            )
        ]
        indexes = [
            models.Index(fields=["page", "kind", "confirmed_at"], name="subscription_active")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.page} ({self.kind})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ConfirmedAddress(models.Model):
    """An address a reader has proved they read, on one site: they are not asked again there."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE)
    email = models.EmailField(max_length=254)
    reader_key = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "email", "reader_key"], name="confirmed_address_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} (site {self.site_id})"


class FanoutJob(models.Model):
    """A published comment whose notifications the worker has yet to work out.

    Written inside the comment's transaction (one row, whatever the number of subscribers), so
    a crash after the commit loses no notification and posting never waits on the fan-out.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"fan-out of comment {self.comment_id}"


class Notification(models.Model):
    """One comment one address should hear about; `mailed_at` is set when it went into a mail."""

    email = models.EmailField(max_length=254)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "page", "comment"], name="notification_once_per_address"
            )
        ]
        indexes = [models.Index(fields=["mailed_at", "email", "page"], name="notification_due")]

    def __str__(self) -> str:
        return f"comment {self.comment_id} for {self.email}"
