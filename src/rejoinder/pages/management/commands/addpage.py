"""`rejoinder manage addpage URI [--title T] [--url U] [--closed]`: open a discussion for a page."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator
from django.db.models import F

from rejoinder.errors import RejoinderError
from rejoinder.pages.lookup import default_site, ensure_page
from rejoinder.pages.models import Site


class Command(BaseCommand):
    help = "Create (or update) the discussion page for a URI on a site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("uri", help="the page's path or the publisher's own id")
        parser.add_argument("--title", default="")
        parser.add_argument("--url", default="", help="the page's public URL")
        parser.add_argument("--site", type=int, help="site id (default: the default site)")
        parser.add_argument("--closed", action="store_true", help="closed to new comments")

    def handle(self, *args: Any, **options: Any) -> None:
        site = (
            default_site()
            if options["site"] is None
            else Site.objects.filter(pk=options["site"]).first()
        )
        if site is None:
            raise CommandError(f"There is no site with id {options['site']}.")
        if options["url"]:
            try:
                URLValidator(schemes=["http", "https"])(options["url"])
            except ValidationError:
                raise CommandError(f"--url is not an http(s) URL: {options['url']!r}") from None
        try:
            page = ensure_page(site, options["uri"], title=options["title"], url=options["url"])
        except RejoinderError as exc:
            raise CommandError(exc.message) from exc
        changed: dict[str, Any] = {"is_open": not options["closed"], "version": F("version") + 1}
        if options["title"]:
            changed["title"] = options["title"]
        if options["url"]:
            changed["url"] = options["url"]
        type(page).objects.filter(pk=page.pk).update(**changed)
        self.stdout.write(
            f"page {page.pk}: {page.uri} on site {site.pk} ({'closed' if options['closed'] else 'open'})"
        )
