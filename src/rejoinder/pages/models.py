"""Sites, the pages discussions hang on, and the articles Rejoinder publishes itself."""

from __future__ import annotations

import secrets
import threading
from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentSort(models.TextChoices):
    NEWEST = "newest", _("Newest")
    OLDEST = "oldest", _("Oldest")
    BEST = "best", _("Most voted")


# Day-month-year, two digits each, then the 24-hour time: 23-03-20 08:48 is 23 March 2020.
DEFAULT_DATE_FORMAT = "d-m-y H:i"


def language_choices() -> list[tuple[str, str]]:
    """The languages a site can speak: those the server has translations for (LANGUAGES)."""
    return [(code, name) for code, name in settings.LANGUAGES]


_time_zones = cache(available_timezones)


def validate_time_zone(value: str) -> None:
    """Refuse a time zone name the tz database does not know (e.g. "Europe/Pariss")."""
    if value and value not in _time_zones():
        raise ValidationError(
            _("%(zone)s is not a time zone name such as Europe/Paris or Asia/Riyadh."),
            params={"zone": value},
        )


class GuestComments(models.TextChoices):
    OPEN = "open", _("Guests may comment")
    EMAIL = "email", _("Guests must give an email address")
    SIGN_IN = "sign_in", _("Readers must sign in to comment")


class SsoAlgorithm(models.TextChoices):
    OFF = "", _("Off")
    HS256 = "HS256", _("HS256 (a shared secret)")
    RS256 = "RS256", _("RS256 (a public key or JWKS URL)")
    ES256 = "ES256", _("ES256 (a public key or JWKS URL)")
    EDDSA = "EdDSA", _("EdDSA (a public key or JWKS URL)")


class Site(models.Model):
    """One publisher's installation entry: who may embed it and how its discussions behave."""

    name = models.CharField(_("name"), max_length=100)
    domain = models.CharField(
        _("domain"), max_length=200, blank=True, help_text=_("The publisher's host name.")
    )
    allowed_origins = models.TextField(
        _("allowed embedding origins"),
        blank=True,
        help_text=_("One origin per line, e.g. https://news.example.org"),
    )
    edit_window_minutes = models.PositiveIntegerField(_("edit window (minutes)"), default=15)
    max_reply_depth = models.PositiveSmallIntegerField(
        _("maximum reply depth"),
        default=3,
        help_text=_("Replies deeper than this attach at this depth, quoting whom they answer."),
    )
    default_sort = models.CharField(
        _("default sort"), max_length=10, choices=CommentSort.choices, default=CommentSort.NEWEST
    )
    page_size = models.PositiveSmallIntegerField(_("top-level comments per page"), default=20)
    max_votes_per_address = models.PositiveSmallIntegerField(
        _("votes counted per network address"),
        default=5,
        help_text=_(
            "How many votes on one comment, and ratings of one page, count from one network "
            "address each day (UTC). Households and offices share an address; more are "
            "refused and shown to moderators. 0 counts them all."
        ),
    )
    embed_creates_pages = models.BooleanField(
        _("embeds create pages"),
        default=True,
        help_text=_(
            "A page the embed names for the first time gets a discussion on its first comment or "
            "rating from an allowed origin. Off: only pages registered first (admin, `addpage`, "
            "API) have one."
        ),
    )
    date_format = models.CharField(
        _("timestamp format"),
        max_length=40,
        default=DEFAULT_DATE_FORMAT,
        help_text=_(
            "How comment times are shown, as a Django date format: 'd-m-y H:i' (day-month-year) "
            "shows 23-03-20 08:48 for 23 March 2020."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "The time zone comment times and dates are shown in, e.g. Europe/Paris. Empty: the "
            "server's (REJOINDER_TIME_ZONE)."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=language_choices,
        help_text=_(
            "The language of the box, its pages and its mail. Empty: the server's "
            "(REJOINDER_LANGUAGE). A page that embeds the box may ask for another one."
        ),
    )
    theme = models.CharField(
        _("colours"),
        max_length=5,
        blank=True,
        choices=[("light", _("Light")), ("dark", _("Dark"))],
        help_text=_(
            "The colours of the article pages, the discussion pages and the moderation page. "
            "Empty: light or dark as each reader's system asks. An embed sets its own."
        ),
    )
    reader_language = models.BooleanField(
        _("follow the reader's language"),
        default=False,
        help_text=_(
            "Speak the language the reader's browser asks for (Accept-Language), when Rejoinder "
            "has it, instead of the site's."
        ),
    )

    guest_comments = models.CharField(
        _("guest comments"),
        max_length=10,
        choices=GuestComments.choices,
        default=GuestComments.OPEN,
        help_text=_("Who may comment without signing in."),
    )
    sign_in_to_vote = models.BooleanField(
        _("sign in to vote and rate"),
        default=False,
        help_text=_("Only signed-in readers may vote on comments and rate pages."),
    )
    sso_algorithm = models.CharField(
        _("single sign-on"),
        max_length=5,
        blank=True,
        choices=SsoAlgorithm.choices,
        help_text=_(
            "How the publisher's site signs the tokens its signed-in readers bring "
            "(docs/identity.md). Only this algorithm is accepted."
        ),
    )
    # The HS256 secret: generated by the admin's action, shown once, never edited by hand.
    sso_secret = models.CharField(max_length=100, blank=True, editable=False)
    sso_public_key = models.TextField(
        _("SSO public key (PEM)"),
        blank=True,
        help_text=_(
            "For RS256, ES256 or EdDSA: the public key, or leave empty and give a JWKS URL."
        ),
    )
    sso_jwks_url = models.URLField(
        _("SSO JWKS URL"),
        max_length=500,
        blank=True,
        help_text=_("For RS256, ES256 or EdDSA: where the publisher's public keys are (HTTPS)."),
    )
    sso_max_lifetime_seconds = models.PositiveIntegerField(
        _("SSO token lifetime (seconds)"),
        default=600,
        help_text=_("Tokens valid for longer than this (exp minus iat) are refused."),
    )
    login_url = models.URLField(
        _("sign-in URL"),
        max_length=500,
        blank=True,
        help_text=_("The publisher's sign-in page; the box links to it when single sign-on is on."),
    )
    logout_url = models.URLField(
        _("sign-out URL"),
        max_length=500,
        blank=True,
        help_text=_("The publisher's sign-out page, linked after signing out of the box."),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    def language_code(self) -> str:
        """Return the language the site speaks: its own, else the server's."""
        return self.language or settings.LANGUAGE_CODE

    def time_zone_name(self) -> str:
        """Return the time zone the site shows times in: its own, else the server's."""
        return self.time_zone or settings.TIME_ZONE

    def rotate_sso_secret(self) -> str:
        """Give the site a new random HS256 secret (and the HS256 algorithm); return it."""
        self.sso_secret = secrets.token_urlsafe(32)
        self.sso_algorithm = SsoAlgorithm.HS256
        self.save(update_fields=["sso_secret", "sso_algorithm"])
        return self.sso_secret

    def sso_audience(self) -> str:
        """Return the `aud` a single sign-on token for this site must name."""
        return f"rejoinder:site:{self.pk}"

    def origins(self) -> list[str]:
        """Return the configured embedding origins, normalised (no trailing slash)."""
        return [o.strip().rstrip("/") for o in self.allowed_origins.splitlines() if o.strip()]


class Page(models.Model):
    """Anything a discussion hangs on: a URL or publisher id on a Site.

    Counters are denormalised so lists and counts never aggregate comments; `version` is bumped
    on every change to the page's discussion and keys caches and ETags.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pages")
    uri = models.CharField(
        _("URI"),
        max_length=500,
        help_text=_("The page's path (e.g. /news/budget-vote/) or the publisher's own id."),
    )
    url = models.URLField(_("public URL"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    is_open = models.BooleanField(_("open for comments"), default=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveBigIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [models.UniqueConstraint(fields=["site", "uri"], name="page_unique_uri")]

    def __str__(self) -> str:
        return self.title or self.uri

    def get_absolute_url(self) -> str:
        """Return where Rejoinder itself shows the discussion: the article, else the page's own
        discussion page (which works without JavaScript; publishers' pages are in `url`)."""
        if hasattr(self, "article"):
            return self.article.get_absolute_url()
        return reverse("widget:permalink_page", kwargs={"page_id": self.pk})

    @property
    def rating_average(self) -> float | None:
        """Return the mean star rating to one decimal, or None when nobody has rated."""
        if not self.rating_count:
            return None
        return round(self.rating_sum / self.rating_count, 1)

    def bump(self, **counter_changes: int) -> None:
        """Add to the page's counters and bump its version, atomically in the database.

        Runs inside every write's transaction, so the statement is written out: the ORM's
        F-expression update costs more to compile than the rest of the write.
        """
        unknown = set(counter_changes) - set(COUNTERS)
        if unknown:
            raise ValueError(f"not a page counter: {sorted(unknown)}")
        changes = {name: delta for name, delta in counter_changes.items() if delta}
        assignments = ["version = version + 1"] + [f"{name} = {name} + %s" for name in changes]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Page._meta.db_table} SET {', '.join(assignments)} WHERE id = %s"  # noqa: S608 - names from COUNTERS
                f" RETURNING {', '.join(_BUMPED)}",
                [*changes.values(), self.pk],
            )
            row = cursor.fetchone()
        if row is not None:
            _bumped.state = (self.pk, dict(zip(_BUMPED, row, strict=True)))


def state_after_bump(page_id: int) -> dict[str, int] | None:
    """The version and counters the last `bump` of this page on this thread left, or None.

    Read inside the same transaction (the row is locked until it ends), it is exactly the
    write's: the live updates tell readers which version an event brings them to this way,
    without a query of their own on every write.
    """
    state: tuple[int, dict[str, int]] | None = getattr(_bumped, "state", None)
    return state[1] if state is not None and state[0] == page_id else None


COUNTERS = ("comment_count", "rating_sum", "rating_count")
_BUMPED = ("version", *COUNTERS)
_bumped = threading.local()


class Article(models.Model):
    """A Page whose content Rejoinder itself publishes."""

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="article", editable=False
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    headline = models.CharField(_("headline"), max_length=300)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(editable=False, default="")
    author_name = models.CharField(_("author"), max_length=120)
    figure = models.FileField(
        _("figure"),
        upload_to="figures/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])],
    )
    figure_url = models.CharField(
        _("figure URL"),
        max_length=500,
        blank=True,
        help_text=_("Use instead of an upload: a path under /static/ or on this site."),
    )
    figure_alt = models.CharField(_("figure description (alt text)"), max_length=300, blank=True)
    figure_caption = models.CharField(_("figure caption"), max_length=300, blank=True)
    figure_credit = models.CharField(_("figure credit"), max_length=200, blank=True)
    source_line = models.CharField(_("source / credit line"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("pages:article", kwargs={"slug": self.slug})

    @property
    def figure_src(self) -> str:
        return self.figure.url if self.figure else self.figure_url
