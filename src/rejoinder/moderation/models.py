"""Moderation state: who moderates, each site's rules, flags, bans, the audit log."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.comments.models import Comment, Commenter
from rejoinder.pages.models import Page, Site


class Role(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Admin")


class ModeratorRole(models.Model):
    """An account that may moderate one site's discussions (superusers moderate every site)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_roles"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="moderator_roles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MODERATOR)

    class Meta:
        verbose_name = _("moderator role")
        verbose_name_plural = _("moderator roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="moderatorrole_once_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.site}"


class Mode(models.TextChoices):
    POST = "post", _("Publish at once, review later (post-moderation)")
    PRE = "pre", _("Every comment waits for a moderator (pre-moderation)")


class SpamAction(models.TextChoices):
    QUEUE = "queue", _("Hold for a moderator")
    REJECT = "reject", _("Refuse it")


class SiteModeration(models.Model):
    """One site's moderation rules. Every site has one (`settings_for` creates it)."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="moderation")
    mode = models.CharField(_("mode"), max_length=4, choices=Mode.choices, default=Mode.POST)
    premoderate_first_time = models.BooleanField(
        _("hold comments of first-time commenters"), default=False
    )
    premoderate_links = models.BooleanField(_("hold comments with links"), default=False)
    premoderate_suspect_words = models.BooleanField(
        _("hold comments with suspect words"), default=True
    )
    banned_words = models.TextField(
        _("banned words and phrases"),
        blank=True,
        help_text=_("One per line. Comments containing one are refused."),
    )
    suspect_words = models.TextField(
        _("suspect words and phrases"),
        blank=True,
        help_text=_("One per line. Comments containing one wait for a moderator."),
    )
    max_links = models.PositiveSmallIntegerField(
        _("maximum links per comment"), default=5, help_text=_("Comments with more are refused.")
    )
    link_min_age_hours = models.PositiveIntegerField(
        _("hours before a new commenter may post links"),
        default=0,
        help_text=_("Until then their comments with links wait for a moderator. 0: no wait."),
    )
    flags_to_hide = models.PositiveSmallIntegerField(
        _("flags that hide a comment"),
        default=3,
        help_text=_(
            "Flags from this many readers hide a comment until a moderator looks. 0: never."
        ),
    )
    spam_threshold = models.FloatField(
        _("spam score threshold"),
        default=0.99,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("From 0 to 1. Lower holds more spam, and more legitimate comments with it."),
    )
    spam_action = models.CharField(
        _("above the threshold"), max_length=6, choices=SpamAction.choices, default=SpamAction.QUEUE
    )
    alert_queue_size = models.PositiveIntegerField(
        _("mail moderators when this many comments wait"), default=0, help_text=_("0: off.")
    )
    alert_on_flag = models.BooleanField(
        _("mail moderators when a comment is flagged"), default=False
    )

    class Meta:
        verbose_name = _("site moderation")
        verbose_name_plural = _("site moderation")

    def __str__(self) -> str:
        return f"moderation of {self.site}"

    def banned_list(self) -> list[str]:
        return _lines(self.banned_words)

    def suspect_list(self) -> list[str]:
        return _lines(self.suspect_words)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PageModeration(models.Model):
    """A page's own moderation mode, overriding its site's."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="moderation")
    mode = models.CharField(_("mode"), max_length=4, choices=Mode.choices, null=True, blank=True)

    def __str__(self) -> str:
        return f"moderation of {self.page}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or hateful")
    OFF_TOPIC = "off-topic", _("Off-topic")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    """A reader's report that a comment needs a moderator's look."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reader = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="flags")
    ip_hash = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=10, choices=FlagReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reader"], name="flag_once_per_reader")
        ]
        indexes = [models.Index(fields=["resolved", "comment"], name="flag_open")]

    def __str__(self) -> str:
        return f"{self.reason} on {self.comment_id}"


class Ban(models.Model):
    """A commenter kept from posting on a site, matched by reader, email and/or IP hash."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="bans")
    commenter = models.ForeignKey(
        Commenter, null=True, blank=True, on_delete=models.CASCADE, related_name="bans"
    )
    email = models.EmailField(blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    # Posting still "works" for the banned reader, who alone sees the comments.
    shadow = models.BooleanField(default=False)
    until = models.DateTimeField(null=True, blank=True, help_text=_("Empty: forever."))
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["site", "lifted_at"], name="ban_active")]

    def __str__(self) -> str:
        return f"ban #{self.pk} on {self.site}"

    def is_active(self, now: datetime) -> bool:
        """Tell whether the ban applies at `now`: not lifted and not expired."""
        return self.lifted_at is None and (self.until is None or self.until > now)


class AuditEntry(models.Model):
    """One moderation action: who did what to which comment or ban, and how to take it back."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="audit_entries")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    ban = models.ForeignKey(Ban, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    previous_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    undone_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undoes"
    )
    # What an undo needs besides the statuses: flags resolved, spam lessons, shadow state.
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["site", "-id"], name="audit_by_site")]

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator} at {self.created_at:%Y-%m-%d %H:%M}"


class SiteSpamModel(models.Model):
    """A site's spam model: the built-in one plus what this site's moderators taught it."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="spam_model")
    model_json = models.TextField()
    revision = models.PositiveBigIntegerField(default=0)  # changes, at random, on every update
    decisions = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"spam model of {self.site} ({self.decisions} decisions)"


class SpamLesson(models.Model):
    """What the site's spam model currently holds about one comment, to take it back exactly."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="spam_lesson")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    is_spam = models.BooleanField()
    text = models.TextField()
    signals = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{'spam' if self.is_spam else 'ham'}: comment {self.comment_id}"


def settings_for(site: Site) -> SiteModeration:
    """Return the site's moderation rules, creating the defaults on first use."""
    try:
        return site.moderation
    except SiteModeration.DoesNotExist:
        rules, _created = SiteModeration.objects.get_or_create(site=site)
        site.moderation = rules
        return rules
