"""The durable outbox: mail waiting to be sent, and addresses that no longer get any."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMail(models.Model):
    """One message to one recipient, written in the transaction of the change that caused it.

    The worker moves it queued → sending (under a lease) → sent, or back to queued with a
    later `next_attempt_at` after a temporary failure, or to failed. `handed_at` is written
    (and committed) before the message is handed to the SMTP server and cleared with the
    outcome, so a worker that takes over a dead worker's lease knows which mail was in flight.
    `message_id` never changes: a mail sent again is the same message, which receivers drop.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    to_address = models.CharField(_("to"), max_length=254)
    from_address = models.CharField(_("from"), max_length=320)
    subject = models.CharField(_("subject"), max_length=500)
    text_body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(
        _("extra headers"),
        default=dict,
        blank=True,
        help_text=_("List-Unsubscribe, In-Reply-To, References, …"),
    )
    message_id = models.CharField(_("Message-ID"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    dedupe_key = models.CharField(
        _("dedupe key"),
        max_length=400,
        null=True,
        blank=True,
        unique=True,
        help_text=_("A second mail with the same key is never queued."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    locked_until = models.DateTimeField(_("lease ends"), null=True, blank=True)
    handed_at = models.DateTimeField(
        _("handed to SMTP"),
        null=True,
        blank=True,
        help_text=_(
            "Set before the message goes to the SMTP server, cleared with the outcome: a mail "
            "still marked when its worker's lease ends may have been delivered."
        ),
    )
    resends = models.PositiveSmallIntegerField(
        _("sent again in doubt"),
        default=0,
        help_text=_(
            "Times it was sent again, with the same Message-ID, after a worker stopped while "
            "handing it over."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outbox")
        indexes = [
            # The worker's two claim queries. Not partial: a partial index on status='queued'
            # cannot serve a query whose status is a bound parameter (SQLite, generic plans).
            models.Index(fields=["status", "next_attempt_at", "id"], name="outbox_due"),
            models.Index(fields=["status", "locked_until"], name="outbox_lease"),
            # Purging old mail and the admin's newest-first list.
            models.Index(fields=["created_at"], name="outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"


class MailSuppression(models.Model):
    """An address that refused our mail permanently; suppressed after repeated refusals.

    The row exists from the first permanent failure (counting bounces in a row); the address
    is suppressed once `suppressed_at` is set. Deleting the row lifts the suppression.
    """

    address = models.CharField(_("address"), max_length=254, unique=True)  # lower case
    bounces = models.PositiveIntegerField(_("permanent failures in a row"), default=0)
    suppressed_at = models.DateTimeField(_("suppressed since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.address

    @property
    def is_suppressed(self) -> bool:
        return self.suppressed_at is not None
