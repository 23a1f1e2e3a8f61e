"""Pages that publishers' own sites show the box on: what the embed may say about a page, and
the one place such a page is created (on its first write, from an origin the site allows).

Rejoinder never fetches the publisher's URL: the title and URL are the embed's word, checked
here (length, characters, scheme, and the URL's origin must be one the site allows).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rejoinder.errors import Forbidden, InvalidInput, NotFound
from rejoinder.pages.lookup import clean_uri
from rejoinder.pages.models import Page, Site

MAX_URL_LENGTH = Page._meta.get_field("url").max_length or 1000
MAX_TITLE_LENGTH = Page._meta.get_field("title").max_length or 300


def origin_of(url: str) -> str | None:
    """Return the origin (`scheme://host[:port]`, lower-case) of an absolute http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


def site_allows(site: Site, origin: str | None) -> bool:
    """Tell whether `origin` is one of the site's allowed embedding origins."""
    if not origin:
        return False
    wanted = origin.strip().rstrip("/").lower()
    return any(wanted == o.lower() for o in site.origins())


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 or 0xD800 <= ord(ch) <= 0xDFFF for ch in text)


@dataclass(frozen=True)
class EmbeddedPage:
    """What an embed says about the page it is on: its identifier, public URL and title."""

    uri: str
    url: str
    title: str

    @classmethod
    def checked(cls, site: Site, *, uri: str, url: str = "", title: str = "") -> EmbeddedPage:
        """Return the page's fields once each is valid, or raise InvalidInput naming the field."""
        uri = clean_uri(uri)
        if any(part in (".", "..") for part in uri.split("/")) or "\\" in uri:
            raise InvalidInput(
                _("The page uri may not contain '.', '..' or '\\' segments."), field="uri"
            )
        url = (url or "").strip()
        if len(url) > MAX_URL_LENGTH:
            raise InvalidInput(
                _("The page url is %(n)d characters long; the limit is %(limit)d.")
                % {"n": len(url), "limit": MAX_URL_LENGTH},
                field="url",
            )
        if url:
            if _has_control(url) or any(ch.isspace() for ch in url):
                raise InvalidInput(
                    _("The page url contains spaces or control characters."), field="url"
                )
            origin = origin_of(url)
            if origin is None:
                raise InvalidInput(
                    _("The page url must be an absolute http or https URL."), field="url"
                )
            if not site_allows(site, origin):
                raise InvalidInput(
                    _("The page url must be on one of the site's allowed origins, not %(origin)s.")
                    % {"origin": origin},
                    field="url",
                )
        title = " ".join((title or "").split())
        if len(title) > MAX_TITLE_LENGTH:
            raise InvalidInput(
                _("The page title is %(n)d characters long; the limit is %(limit)d.")
                % {"n": len(title), "limit": MAX_TITLE_LENGTH},
                field="title",
            )
        if _has_control(title):
            raise InvalidInput(_("The page title contains control characters."), field="title")
        return cls(uri=uri, url=url, title=title)


def existing_page(site: Site, uri: str) -> Page | None:
    """Return the site's page at `uri` (with its Site), or None when nobody wrote on it yet."""
    page = Page.objects.select_related("site").filter(site=site, uri=uri).first()
    return page


def page_for_first_write(site: Site, embedded: EmbeddedPage) -> Page:
    """Return the site's page for `embedded`, creating it when the site lets embeds create pages.

    Call inside the write's transaction, so that a refused write leaves no page behind.
    """
    page = existing_page(site, embedded.uri)
    if page is not None:
        return page
    if not site.embed_creates_pages:
        raise NotFound(
            _("This page is not registered for discussion on this site yet."), field="uri"
        )
    if not site.origins():
        raise Forbidden(_("This site has no allowed embedding origins."))
    try:
        with transaction.atomic():
            page = Page.objects.create(
                site=site, uri=embedded.uri, url=embedded.url, title=embedded.title
            )
    except IntegrityError:  # another first write won the race
        page = Page.objects.get(site=site, uri=embedded.uri)
    page.site = site
    return page
