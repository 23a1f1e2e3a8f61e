"""Finding the Site and Page a request is about."""

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from rejoinder.errors import InvalidInput, NotFound
from rejoinder.pages.models import Article, Page, Site

MAX_URI_LENGTH = 500


_default_site_id: int | None = None


def default_site() -> Site:
    """Return the default Site (the lowest id), creating it if the table was emptied."""
    global _default_site_id
    site = Site.objects.order_by("pk").first()
    if site is None:
        site = Site.objects.create(name="Rejoinder", domain="127.0.0.1")
    _default_site_id = site.pk
    return site


def default_site_id() -> int:
    """Return the default Site's id, remembered per process after the first look-up."""
    return _default_site_id if _default_site_id is not None else default_site().pk


def clean_uri(uri: str) -> str:
    """Check a page URI as given by a client: non-empty, bounded, no control characters."""
    uri = (uri or "").strip()
    if not uri:
        raise InvalidInput(_("Say which page: the `uri` is empty."), field="uri")
    if len(uri) > MAX_URI_LENGTH:
        raise InvalidInput(
            _("The page uri is %(n)d characters long; the limit is %(limit)d.")
            % {"n": len(uri), "limit": MAX_URI_LENGTH},
            field="uri",
        )
    if any(ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF for ch in uri):
        raise InvalidInput(_("The page uri contains control characters."), field="uri")
    return uri


def _columns(model: type[Page] | type[Site]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


_PAGE_COLUMNS, _SITE_COLUMNS = _columns(Page), _columns(Site)
# Every API read and write starts here. The ORM spends about a millisecond compiling the
# equivalent select_related query, more than the rest of a cached read, so it is written once.
_PAGE_WITH_SITE = (
    "SELECT "  # noqa: S608 - table and column names come from the models
    + ", ".join(f"p.{c}" for c in _PAGE_COLUMNS)
    + ", "
    + ", ".join(f"s.{c}" for c in _SITE_COLUMNS)
    + f" FROM {Page._meta.db_table} p JOIN {Site._meta.db_table} s ON s.id = p.site_id"
)
_BY_URI = _PAGE_WITH_SITE + " WHERE p.site_id = %s AND p.uri = %s"
_BY_ID = _PAGE_WITH_SITE + " WHERE p.id = %s"
_BY_ARTICLE = (
    _PAGE_WITH_SITE
    + f" JOIN {Article._meta.db_table} a ON a.page_id = p.id WHERE a.slug = %s"
    + " AND a.is_published = %s"
)


def page_by_id(page_id: int) -> Page | None:
    """Return the page with that id, with its Site, or None."""
    return _page_with_site(_BY_ID, [page_id])


def published_article_page(slug: str) -> Page | None:
    """Return the page of the published article at `slug`, with its Site, or None."""
    return _page_with_site(_BY_ARTICLE, [slug, True])


def _page_with_site(query: str, params: list[Any]) -> Page | None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_PAGE_COLUMNS)
    page = _from_row(Page, row[:split])
    page.site = _from_row(Site, row[split:])
    return page


_converters: dict[tuple[str, type], list[list[Any]]] = {}


def _from_row(model: Any, values: tuple[Any, ...]) -> Any:
    """Build a model instance from raw column values, converted as the ORM would."""
    fields = model._meta.concrete_fields
    key = (connection.vendor, model)
    if key not in _converters:
        _converters[key] = [
            connection.ops.get_db_converters(f.get_col(model._meta.db_table))
            + f.get_db_converters(connection)
            for f in fields
        ]
    converted = []
    for field, value, converters in zip(fields, values, _converters[key], strict=True):
        for converter in converters:
            value = converter(value, field, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def find_page(site_id: int | None, uri: str) -> Page:
    """Return the Page at `uri` (with its Site) on a site, the default one when `site_id` is None."""
    uri = clean_uri(uri)
    wanted = default_site_id() if site_id is None else site_id
    page = _page_with_site(_BY_URI, [wanted, uri])
    if page is None and site_id is None and wanted != default_site().pk:
        return find_page(None, uri)  # the default site changed since it was remembered
    if page is None:
        raise NotFound(
            _("No discussion exists for the page %(uri)r on this site.") % {"uri": uri}, field="uri"
        )
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
