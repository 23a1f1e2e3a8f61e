"""What imports leave behind besides the rows they write: where each row came from, and what
of the source has no place in Rejoinder's own tables."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.pages.models import Page, Site


class SourceLink(models.Model):
    """One object of an export (a thread, comment, commenter, vote…) and the row it became.

    `(site, system, kind, source_id)` is unique, so importing the same file again finds every
    object already there and adds nothing. `object_id` is the primary key of the row in the
    table `kind` names; None when the object is kept as facts only (a withdrawn vote).
    `facts` holds what the source said that Rejoinder has no column for (a Disqus username,
    wpDiscuz rating fields, Remark42's pin), so an export can give it back.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    system = models.CharField(max_length=60)
    kind = models.CharField(max_length=20)
    source_id = models.CharField(max_length=255)
    object_id = models.BigIntegerField(null=True, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("imported object")
        verbose_name_plural = _("imported objects")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "system", "kind", "source_id"], name="sourcelink_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="sourcelink_by_object")]

    def __str__(self) -> str:
        return f"{self.system} {self.kind} {self.source_id}"


class PendingParent(models.Model):
    """A comment whose parent is named by the source's id, until the import resolves it.

    Written and emptied inside the import's transaction: exports list replies before their
    parents, so parents are found once every comment is in.
    """

    comment_id = models.BigIntegerField(primary_key=True)
    parent_source_id = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.parent_source_id}"


class Linkback(models.Model):
    """A pingback or trackback from a WordPress export: counted and kept, never a comment."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="linkbacks")
    kind = models.CharField(max_length=10)  # pingback, trackback
    title = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    excerpt = models.TextField(blank=True)
    status = models.CharField(max_length=10)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pingback or trackback")
        verbose_name_plural = _("pingbacks and trackbacks")

    def __str__(self) -> str:
        return f"{self.kind} from {self.url}"
