"""Accounts of signed-in readers, the identities they sign in with, and their sessions.

An Account belongs to one Site and owns one Commenter: everything a reader writes, votes or
rates hangs on that commenter, exactly as a guest's does, so the comments, votes, ratings
and subscriptions code needs no second path. An Identity is one way to prove being that
account (a publisher's SSO subject today; an email address or an OpenID Connect subject can be
added as more providers), and a ReaderSession is what a browser holds once it proved one.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Site


class Account(models.Model):
    """A signed-in reader of one site: the profile shown beside their comments."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="accounts")
    # The account's commenter has a reader key no guest token ever carries: only a live
    # session resolves to it.
    commenter = models.OneToOneField(
        Commenter, on_delete=models.PROTECT, related_name="account", editable=False
    )
    display_name = models.CharField(_("display name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    email_verified = models.BooleanField(_("email verified"), default=False)
    avatar_url = models.URLField(_("avatar URL"), max_length=500, blank=True)
    profile_url = models.URLField(_("profile URL"), max_length=500, blank=True)
    # Badges the publisher grants (e.g. "staff", "subscriber"), as short lowercase words.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_sign_in_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reader account")
        verbose_name_plural = _("reader accounts")
        indexes = [models.Index(fields=["site", "email"], name="account_by_email")]

    def __str__(self) -> str:
        return self.display_name


class Identity(models.Model):
    """One way to sign in to an account: a provider and the subject it vouches for.

    `provider` is "sso" (the publisher's own sign-in), and later "email" or "oidc:<issuer>";
    `subject` is that provider's stable id for the person (the SSO token's `sub`).
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(_("provider"), max_length=100)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sign-in identity")
        verbose_name_plural = _("sign-in identities")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "provider", "subject"], name="identity_once_per_site"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class ReaderSession(models.Model):
    """A browser signed in to an account: revocable, expiring; only the secret's hash is kept."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sessions")
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    provider = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reader session")
        verbose_name_plural = _("reader sessions")

    def __str__(self) -> str:
        return f"{self.account} ({self.created_at:%Y-%m-%d})"


class SeenTokenId(models.Model):
    """A sign-in token's `jti`, kept until the token expires so it cannot be used twice."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "jti"], name="seen_token_id_once")]

    def __str__(self) -> str:
        return self.jti


def sign_in_ways_key(site_id: int) -> str:
    """The cache key of what a site offers (accounts/ways.py), cleared when it changes."""
    return f"rj:sign-in-ways:{site_id}"


class SignInSettings(models.Model):
    """How readers of one site may sign in besides the publisher's single sign-on."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, primary_key=True, related_name="sign_in_settings"
    )
    email_sign_in = models.BooleanField(
        _("sign in by email"),
        default=False,
        help_text=_(
            "Readers may sign in with a one-time link sent to their email address; the box "
            "shows a form for it."
        ),
    )
    avatar_pictures = models.BooleanField(
        _("Gravatar/Libravatar pictures"),
        default=False,
        help_text=_(
            "Beside a comment whose author gave an email address, show the picture that address "
            "has at Libravatar or Gravatar. This server fetches it (sending only a hash of the "
            "address) and serves it itself; readers' browsers never contact those services."
        ),
    )

    class Meta:
        verbose_name = _("reader sign-in settings")
        verbose_name_plural = _("reader sign-in settings")

    def __str__(self) -> str:
        return str(self.site)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cache.delete(sign_in_ways_key(self.site_id))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        cache.delete(sign_in_ways_key(self.site_id))
        return super().delete(*args, **kwargs)


class EmailSignInLink(models.Model):
    """A one-time sign-in link mailed to an address; only the hash of its secret is kept."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    # Where the reader asked from: a path on this server, followed after signing in.
    return_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class OidcProvider(models.Model):
    """An OpenID Connect provider readers of one site may sign in with ("Sign in with …")."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="oidc_providers")
    label = models.CharField(
        _("button label"),
        max_length=100,
        help_text=_('The name on the button, e.g. "Google": the box says "Sign in with Google".'),
    )
    issuer = models.URLField(
        _("issuer URL"),
        max_length=500,
        help_text=_(
            "The provider's issuer, exactly as its ID tokens name it; its discovery document "
            "is at this URL followed by /.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=500)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("OpenID Connect provider")
        verbose_name_plural = _("OpenID Connect providers")

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cache.delete(sign_in_ways_key(self.site_id))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        cache.delete(sign_in_ways_key(self.site_id))
        return super().delete(*args, **kwargs)

    @property
    def identity_provider(self) -> str:
        """The `Identity.provider` of this provider's readers ("oidc:<issuer>")."""
        return f"oidc:{self.issuer}"[:100]


class OidcLogin(models.Model):
    """One sign-in under way: what the callback must find (state, nonce, PKCE verifier).

    Bound to the browser that started it by the hash of a random cookie value, and used once.
    """

    provider = models.ForeignKey(OidcProvider, on_delete=models.CASCADE, related_name="+")
    state_hash = models.CharField(max_length=64, unique=True)
    browser_hash = models.CharField(max_length=64)
    nonce = models.CharField(max_length=100)
    code_verifier = models.CharField(max_length=128)
    return_to = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.provider)
