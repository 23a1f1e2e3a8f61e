"""The record of every erasure: who asked, when, what was erased — never the erased data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestedBy(models.TextChoices):
    READER = "reader", _("The reader")
    STAFF = "staff", _("Staff")


class CommentsChoice(models.TextChoices):
    REMOVE = "remove", _("Remove the comments")
    KEEP = "keep", _("Keep the comments as “[deleted]”")


class ErasureLog(models.Model):
    """One erasure of a reader's data.

    It holds counts and the choice, and whose request it was; no name, no address, no key, not
    even a hash of them: an erasure needs no memory of whom it erased (a second one simply
    finds nothing), and a hash of an address would let anyone holding the address find it.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    requested_by = models.CharField(_("requested by"), max_length=10, choices=RequestedBy.choices)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the account is deleted later: the log still says who did it.
    staff_username = models.CharField(_("staff user name"), max_length=150, blank=True)
    comments = models.CharField(_("comments"), max_length=10, choices=CommentsChoice.choices)
    counts = models.JSONField(_("what was erased"), default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasure log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_requested_by_display()} {self.created_at:%Y-%m-%d %H:%M}"
