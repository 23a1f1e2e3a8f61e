"""Who may moderate which site: a ModeratorRole per site, superusers everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rejoinder.errors import Forbidden
from rejoinder.moderation.models import ModeratorRole
from rejoinder.pages.models import Site


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_moderator(user: Any, site: Site | int) -> bool:
    """Tell whether the account may moderate the site (as moderator or admin)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    site_id = site if isinstance(site, int) else site.pk
    return ModeratorRole.objects.filter(user=user, site_id=site_id).exists()


def moderated_site_ids(user: Any) -> QuerySet[Site] | None:
    """Return a queryset of the sites the account moderates; None means every site."""
    if not _active(user):
        return Site.objects.none()
    if user.is_superuser:
        return None
    return Site.objects.filter(moderator_roles__user=user)


def moderated_sites(user: Any) -> list[Site]:
    """Return the sites the account may moderate, by name."""
    sites = moderated_site_ids(user)
    return list((Site.objects.all() if sites is None else sites).order_by("name", "pk"))


def moderators_of(site: Site) -> QuerySet[Any]:
    """Return the active accounts that may moderate the site: its moderators and superusers."""
    return (
        get_user_model()
        .objects.filter(Q(moderator_roles__site=site) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def require_moderator(user: Any, site: Site | int) -> None:
    """Raise Forbidden unless the account may moderate the site."""
    if not is_moderator(user, site):
        raise Forbidden(_("You are not a moderator of this site."))
