"""What imports leave behind besides the rows they write: where each row came from, and what
of the source has no place in Rejoinder's own tables."""

from __future__ import annotations

from django.conf import settings
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

    # No index of its own: the unique constraint below starts with the site. A lone site index
    # made SQLite read every link of the site for each page an export looked up by object
    # (hours for a million comments) instead of using `sourcelink_by_object`.
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", db_index=False)
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


def forget_sources(commenter_ids: tuple[int, ...], comment_ids: frozenset[int]) -> int:
    """Delete what imports kept of these commenters and their comments (their data was
    erased): a source's key for a commenter is often an address or a name, and the facts of a
    comment may hold its author's details."""
    deleted, _counts = SourceLink.objects.filter(
        models.Q(kind="commenter", object_id__in=commenter_ids)
        | models.Q(kind="comment", object_id__in=comment_ids)
    ).delete()
    return deleted


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


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An import uploaded in the admin, run by `rejoinder worker` (the "imports" step).

    The uploaded files wait under the data directory (`imports/uploads/`) and are deleted
    when the job has run; the report stays here, as `rejoinder import` writes it.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    second_name = models.CharField(_("second file"), max_length=255, blank=True)
    folder = models.CharField(max_length=64, editable=False)  # under imports/uploads/
    rewrites = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    error = models.CharField(_("error"), max_length=1000, blank=True)
    report = models.JSONField(null=True, blank=True)
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which worker runs it ("host:pid"), and how many times a worker died while running it.
    worker = models.CharField(max_length=100, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["status", "id"], name="importjob_due")]

    def __str__(self) -> str:
        return f"{self.format} import of {self.file_name} into {self.site}"
