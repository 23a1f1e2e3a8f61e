"""Passages of articles that comments and author prompts are anchored to, and article revisions.

Offsets are over the article's plain text as `inline.text.extract_text` defines it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page


class FoundBy(models.TextChoices):
    """How an anchor's current placement was found (`anchoring.Placement.method`, plus created)."""

    CREATED = "created", _("As made")
    POSITION = "position", _("Same place")
    QUOTE = "quote", _("Found by its quote")
    FUZZY = "fuzzy", _("Found approximately")
    ORPHANED = "orphaned", _("Not found")


class ArticleRevision(models.Model):
    """One version of an article's text, kept so a comment can show the text its writer saw."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("body (Markdown)"))
    text = models.TextField(_("plain text"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.page} · revision {self.number}"


class Prompt(models.Model):
    """A question the author pinned to a paragraph, inviting inline answers.

    The anchor fields describe the paragraph (block `block_index` of `inline.text`) in the
    latest revision and follow it through edits; `start`/`end`/`block_index` are None once it
    can no longer be found (`status` "orphaned").
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="prompts")
    question = models.CharField(_("question"), max_length=300)
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    exact = models.TextField(blank=True, editable=False)
    prefix = models.CharField(max_length=200, blank=True, editable=False)
    suffix = models.CharField(max_length=200, blank=True, editable=False)
    start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    block_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=FoundBy.choices, default=FoundBy.CREATED, editable=False
    )

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["page", "start", "id"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_orphaned(self) -> bool:
        return self.status == FoundBy.ORPHANED


class Anchor(models.Model):
    """The passage a top-level comment is about.

    `exact`/`prefix`/`suffix`/`start`/`end` are the passage as the commenter selected it on
    `revision` and never change: they are what the commenter saw. The `current_*` fields,
    `found_by`, `score` and `changed` describe where the passage is in the latest revision
    (re-found on every edit). On a page whose text Rejoinder does not know (an embed),
    `revision`, `start`, `end` and the current placement are empty: the host page finds the
    quote itself.
    """

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="anchor"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="anchors")
    prompt = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    exact = models.TextField()
    prefix = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=200, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    revision = models.ForeignKey(
        ArticleRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_start = models.PositiveIntegerField(null=True, blank=True)
    current_end = models.PositiveIntegerField(null=True, blank=True)
    current_revision = models.ForeignKey(
        ArticleRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    found_by = models.CharField(max_length=10, choices=FoundBy.choices, default=FoundBy.CREATED)
    score = models.FloatField(default=1.0)
    changed = models.BooleanField(
        default=False, help_text=_("The passage's text differs from what the commenter saw.")
    )

    class Meta:
        verbose_name = _("anchor")
        verbose_name_plural = _("anchors")
        indexes = [models.Index(fields=["page", "found_by"], name="anchor_by_page")]

    def __str__(self) -> str:
        return f"“{self.exact[:60]}”"

    @property
    def is_orphaned(self) -> bool:
        return self.found_by == FoundBy.ORPHANED
