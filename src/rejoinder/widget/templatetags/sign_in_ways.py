"""The box's line of sign-in ways: who is signed in and "Sign out", else the ways the site offers."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from rejoinder.accounts.ways import offered_ways
from rejoinder.comments.identity import find_commenter, is_signed_in
from rejoinder.pages.models import Page, Site
from rejoinder.request_identity import reader_key

register = template.Library()


@register.inclusion_tag("widget/sign_in/ways.html", takes_context=True)
def sign_in_ways(context: template.Context, site: Site, page: Page | None) -> dict[str, Any]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    # In the embed, forms post through the embed's script: sign-in opens our own page instead.
    embedded = bool(match and (match.url_name or "").startswith("embed"))
    back = page.get_absolute_url() if page is not None and page.pk else ""
    reader = find_commenter(reader_key(request)) if request is not None else None
    if is_signed_in(reader) and not embedded:
        return {
            "signed_in": reader.display_name,  # type: ignore[union-attr]
            "sign_out_action": reverse("widget:own_sign_out"),
            "next": back,
            "csrf_token": context.get("csrf_token"),
        }
    ways = offered_ways(site)
    email_link = ""
    if ways.email:
        query = urlencode({"site": site.pk, **({"next": back} if back else {})})
        email_link = f"{settings.PUBLIC_URL}{reverse('widget:email_sign_in')}?{query}"
    next_query = f"?{urlencode({'next': back})}" if back else ""
    return {
        "login_url": site.login_url if site.sso_algorithm else "",
        "email_link": email_link,
        # On our own pages the box carries the form itself (it posts without script).
        "email_form": {"action": reverse("widget:email_sign_in"), "site": site.pk}
        if ways.email and not embedded
        else None,
        "next": back,
        "csrf_token": context.get("csrf_token"),
        "oidc": [
            (
                label,
                f"{settings.PUBLIC_URL}"
                f"{reverse('widget:oidc_start', kwargs={'provider_id': pk})}{next_query}",
            )
            for pk, label in ways.oidc
        ],
    }
