"""The admin of the sign-in settings: email sign-in per site, OpenID Connect providers."""

from __future__ import annotations

from django.test import Client

from rejoinder.accounts.models import OidcProvider, SignInSettings
from rejoinder.accounts.ways import offered_ways
from rejoinder.pages.models import Site


def _provider_form(site: Site, **changes: str) -> dict[str, str]:
    return {
        "site": str(site.pk),
        "label": "Example ID",
        "issuer": "https://id.example.org",
        "client_id": "rejoinder",
        "client_secret": "s3cret-value",
        "enabled": "on",
        **changes,
    }


def test_a_provider_is_added_and_its_secret_never_shown_again(
    admin_client: Client, site: Site
) -> None:
    added = admin_client.post("/admin/accounts/oidcprovider/add/", _provider_form(site))
    assert added.status_code == 302
    provider = OidcProvider.objects.get()
    assert offered_ways(site).oidc == ((provider.pk, "Example ID"),)
    change = f"/admin/accounts/oidcprovider/{provider.pk}/change/"
    assert "s3cret-value" not in admin_client.get(change).content.decode()
    # Left empty, the secret stays; the cached ways follow the new label.
    assert (
        admin_client.post(change, _provider_form(site, client_secret="", label="ID")).status_code
        == 302
    )
    provider.refresh_from_db()
    assert provider.client_secret == "s3cret-value"
    assert offered_ways(site).oidc == ((provider.pk, "ID"),)


def test_a_new_provider_needs_its_secret(admin_client: Client, site: Site) -> None:
    answer = admin_client.post(
        "/admin/accounts/oidcprovider/add/", _provider_form(site, client_secret="")
    )
    assert answer.status_code == 200
    assert "Give the client secret" in answer.content.decode()
    assert not OidcProvider.objects.exists()


def test_email_sign_in_is_turned_on_in_the_admin(admin_client: Client, site: Site) -> None:
    assert offered_ways(site).email is False
    added = admin_client.post(
        "/admin/accounts/signinsettings/add/", {"site": str(site.pk), "email_sign_in": "on"}
    )
    assert added.status_code == 302
    assert SignInSettings.objects.get().email_sign_in
    assert offered_ways(site).email is True
