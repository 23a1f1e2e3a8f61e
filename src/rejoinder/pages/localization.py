"""Speaking as a site: its language and time zone, for what is written outside a request.

A request is answered in the language the middleware chose (config/language.py); mail is
written by the worker, with no request, so it takes the site's language and time zone here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone, translation

from rejoinder.pages.models import Site


@contextmanager
def speaking_as(site: Site) -> Iterator[None]:
    """Translate and show times as `site` does (its language and time zone, else the server's)."""
    with translation.override(site.language_code()), timezone.override(site.time_zone_name()):
        yield
