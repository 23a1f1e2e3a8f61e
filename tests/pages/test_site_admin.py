"""A site's settings in the admin."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.test import Client

from rejoinder.pages.models import Site


def test_the_votes_counted_per_address_are_set_in_the_sites_admin(
    admin_client: Client, site: Site
) -> None:
    url = f"/admin/pages/site/{site.pk}/change/"
    form = admin_client.get(url).content.decode()
    assert 'name="max_votes_per_address"' in form
    assert "votes counted per network address" in form.lower()

    data = {k: v for k, v in model_to_dict(site).items() if v is not None}
    saved = admin_client.post(url, {**data, "max_votes_per_address": "2"})
    assert saved.status_code == 302
    site.refresh_from_db()
    assert site.max_votes_per_address == 2
