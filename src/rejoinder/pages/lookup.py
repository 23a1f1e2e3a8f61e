"""Finding the Site and Page a request is about."""

from django.db import IntegrityError, transaction

from rejoinder.errors import InvalidInput, NotFound
from rejoinder.pages.models import Page, Site

MAX_URI_LENGTH = 500


def default_site() -> Site:
    """Return the Site created by the first migration (the lowest id)."""
    site = Site.objects.order_by("pk").first()
    if site is None:
        raise NotFound("No site is configured; run `rejoinder manage migrate`.")
    return site


def get_site(site_id: int | None) -> Site:
    """Return the Site with this id, or the default Site when no id is given."""
    if site_id is None:
        return default_site()
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        raise NotFound(f"There is no site with id {site_id}.", field="site")
    return site


def clean_uri(uri: str) -> str:
    """Check a page URI as given by a client: non-empty, bounded, no control characters."""
    uri = (uri or "").strip()
    if not uri:
        raise InvalidInput("Say which page: the `uri` is empty.", field="uri")
    if len(uri) > MAX_URI_LENGTH:
        raise InvalidInput(
            f"The page uri is {len(uri)} characters long; the limit is {MAX_URI_LENGTH}.",
            field="uri",
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in uri):
        raise InvalidInput("The page uri contains control characters.", field="uri")
    return uri


def find_page(site: Site, uri: str) -> Page:
    """Return the Page at `uri` on `site`, or raise NotFound with the uri in the message."""
    uri = clean_uri(uri)
    page = Page.objects.filter(site=site, uri=uri).first()
    if page is None:
        raise NotFound(f"No discussion exists for the page {uri!r} on this site.", field="uri")
    return page


def ensure_page(site: Site, uri: str, *, title: str = "", url: str = "") -> Page:
    """Return the Page at `uri`, creating it (publisher-side only: admin, CLI, importers)."""
    uri = clean_uri(uri)
    try:
        with transaction.atomic():
            page, _ = Page.objects.get_or_create(
                site=site, uri=uri, defaults={"title": title, "url": url}
            )
    except IntegrityError:
        page = Page.objects.get(site=site, uri=uri)
    return page
