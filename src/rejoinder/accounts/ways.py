"""The ways a site's readers may sign in besides single sign-on, cached since every box asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from rejoinder.accounts.models import SignInSettings, sign_in_ways_key
from rejoinder.pages.models import Site


@dataclass(frozen=True)
class Ways:
    email: bool
    oidc: tuple[tuple[int, str], ...]  # (provider id, button label)
    # Not a way to sign in, but a site setting every box asks for too (accounts/avatars.py).
    avatar_pictures: bool = False


def offered_ways(site: Site) -> Ways:
    """What the site offers; the cache entry goes whenever its settings or providers are saved."""
    key = sign_in_ways_key(site.pk)
    ways = cache.get(key)
    if ways is None:
        # One query (every article page asks on a cold cache): the site's row, joined to
        # each of its providers, with whether email sign-in is on.
        rows = list(
            Site.objects.filter(pk=site.pk)
            .annotate(
                email=Exists(
                    SignInSettings.objects.filter(site=OuterRef("pk"), email_sign_in=True)
                ),
                pictures=Exists(
                    SignInSettings.objects.filter(site=OuterRef("pk"), avatar_pictures=True)
                ),
            )
            .values_list(
                "email",
                "pictures",
                "oidc_providers__pk",
                "oidc_providers__label",
                "oidc_providers__enabled",
            )
            .order_by("oidc_providers__label", "oidc_providers__pk")
        )
        ways = Ways(
            email=bool(rows and rows[0][0]),
            oidc=tuple((pk, label) for _e, _p, pk, label, enabled in rows if pk and enabled),
            avatar_pictures=bool(rows and rows[0][1]),
        )
        cache.set(key, ways, 300)
    return ways
