"""The API's own records: the first answer to each write sent with an Idempotency-Key."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """A write sent with `Idempotency-Key`, and the answer it got (api/idempotency.py).

    Written in the transaction of the write itself, so the key is stored exactly when the
    write is. A key is one sender's for one endpoint (method and path): `owner` is a hash of
    who sent it (the reader, the signed-in moderator, or the client address for a first
    write); `fingerprint` a hash of the method, path and body.
    """

    owner = models.CharField(_("owner"), max_length=64)
    key = models.CharField(_("Idempotency-Key"), max_length=255)
    method = models.CharField(_("method"), max_length=7)
    path = models.CharField(_("path"), max_length=500)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    cookies = models.TextField(_("cookies set"), blank=True)
    location = models.CharField(_("redirected to"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key", "method", "path"], name="api_idempotency_key_once"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
