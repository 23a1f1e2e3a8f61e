"""Which language and time zone a request is answered in (docs/decisions.md, "Languages").

In order:

1. `lang` in the query string, when Rejoinder speaks it (`ar`, `fr-CA` → `fr`): what the page
   that embeds the box asks for (`data-lang`), or a link that names a language;
2. the reader's `Accept-Language`, when the site allows it ("follow the reader's language");
3. the site's language; 4. the server's (`REJOINDER_LANGUAGE`).

The site is the one the URL names (`site_id`), or the site of its page, comment or article;
a URL that names none (the index, the admin) speaks the server's language. Times are shown
in the site's time zone, else the server's. An answer that depends on `Accept-Language` says
so in `Vary`; the language is in the ETag of every page's HTML (web/conditional.py) and in the
key of the box's cached markup (widget/caching.py).

`lang` and `Accept-Language` are preferences: a language Rejoinder does not speak, or a
malformed tag, falls back to the next rule rather than failing the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article, Page, Site

LANG_PARAMETER = "lang"
# A language tag as BCP 47 writes it (`ar`, `pt-BR`, `zh-Hant-TW`), short enough to look up.
_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}")
# Which site a URL's ids belong to never changes; keep it an hour.
_SITE_OF_SECONDS = 3600
# A site's language settings change in the admin; its save clears them here, and other
# processes (each with its own local cache, when there is no Redis) see the change within this.
_SPEECH_SECONDS = 60
_FIELDS = ("pk", "language", "reader_language", "time_zone", "theme")


@dataclass(frozen=True)
class Speech:
    """How one site speaks: its language ("" for the server's), whether it follows readers'
    browsers, and its time zone ("" for the server's)."""

    site_id: int
    language: str
    reader_language: bool
    time_zone: str
    theme: str  # the site's colours for its pages: "", "light" or "dark"


def _rows(prefix: str, query: Callable[[int], QuerySet[Any]]) -> Callable[[int], Any]:
    def read(pk: int) -> Any:
        return query(pk).values_list(*(f"{prefix}{f}" for f in _FIELDS)).first()

    return read


# The URL keyword arguments that name a site, directly or through what belongs to it.
_SITE_OF: dict[str, Callable[[Any], Any]] = {
    "site_id": _rows("", lambda pk: Site.objects.filter(pk=pk)),
    "page_id": _rows("site__", lambda pk: Page.objects.filter(pk=pk)),
    "comment_id": _rows("page__site__", lambda pk: Comment.objects.filter(pk=pk)),
    "slug": _rows("page__site__", lambda slug: Article.objects.filter(slug=slug)),
}


def _an_id(value: object) -> int | None:
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _speech_key(site_id: int) -> str:
    return f"speech:v2:{site_id}"  # v2: the row gained the theme


def site_speech(kwargs: dict[str, Any]) -> Speech | None:
    """Return how the site the URL names speaks; None when it names none (or nothing exists).

    Cached: one query the first time a page, comment or article is seen, none after.
    """
    for name, read in _SITE_OF.items():
        value = kwargs.get(name)
        if value is None:
            continue
        if name != "slug":
            # The API's paths hand over their ids unchecked (ninja validates them later).
            value = _an_id(value)
            if value is None:
                return None
        elif not isinstance(value, str) or len(value) > 50:
            return None
        owner_key = f"site-of:{name}:{value}"
        site_id = cache.get(owner_key)
        if site_id is not None:
            found = cache.get(_speech_key(site_id))
            if found is not None:
                return Speech(*found)
        try:
            row = read(value)
        except DatabaseError:
            # The database is busy or gone: speak the server's language; the view meets the
            # same fault and answers it (config/faults.py).
            return None
        if row is None:
            return None
        cache.set(owner_key, row[0], _SITE_OF_SECONDS)
        cache.set(_speech_key(row[0]), row, _SPEECH_SECONDS)
        return Speech(*row)
    return None


def _forget_site(sender: type[Site], instance: Site, **kwargs: Any) -> None:
    cache.delete(_speech_key(instance.pk))


post_save.connect(_forget_site, sender=Site, dispatch_uid="rejoinder.config.language")


def supported(tag: str) -> str | None:
    """Return the language Rejoinder speaks for a language tag (`fr-CA` → `fr`), else None."""
    if not tag or len(tag) > 35 or not _TAG.fullmatch(tag):
        return None
    try:
        return translation.get_supported_language_variant(tag.lower())
    except LookupError:
        return None


def reader_language(request: HttpRequest) -> str | None:
    """Return the first language of the reader's Accept-Language that Rejoinder speaks."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for tag, _quality in parse_accept_lang_header(header[:1000]):
        if tag != "*" and (found := supported(tag)):
            return found
    return None


@dataclass(frozen=True)
class Choice:
    language: str
    time_zone: str
    from_parameter: bool  # the request named it: links and fragments must carry it on
    from_reader: bool  # read from Accept-Language: the answer varies with it


def choose(request: HttpRequest, speech: Speech | None) -> Choice:
    """Return the language and time zone to answer `request` in (the rules at the top)."""
    zone = (speech.time_zone if speech else "") or settings.TIME_ZONE
    asked = supported(request.GET.get(LANG_PARAMETER, ""))
    if asked:
        return Choice(asked, zone, from_parameter=True, from_reader=False)
    if speech is not None and speech.reader_language:
        found = reader_language(request)
        if found:
            return Choice(found, zone, from_parameter=False, from_reader=True)
        fallback = speech.language or settings.LANGUAGE_CODE
        return Choice(fallback, zone, from_parameter=False, from_reader=True)
    language = (speech.language if speech else "") or settings.LANGUAGE_CODE
    return Choice(language, zone, from_parameter=False, from_reader=False)


def _apply(request: HttpRequest, choice: Choice) -> None:
    translation.activate(choice.language)
    timezone.activate(choice.time_zone)
    request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
    request.rejoinder_language = choice  # type: ignore[attr-defined]


def site_theme(request: HttpRequest) -> dict[str, str]:
    """Expose the colours the request's site chose ("" follows the reader's system) to templates."""
    return {"site_theme": getattr(request, "rejoinder_theme", "")}


class LanguageMiddleware:
    """Answer each request in its site's language and time zone (replaces LocaleMiddleware).

    Before the URL is resolved (and for requests refused before any view) the request speaks
    the server's language, or its `lang`; once the view is known, its site's rules apply.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        _apply(request, choose(request, None))
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
            timezone.deactivate()
        choice: Choice = request.rejoinder_language  # type: ignore[attr-defined]
        if choice.from_reader:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", choice.language)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        speech = site_speech(kwargs)
        if speech is None and request.path.startswith("/api/") and "site" in request.GET:
            speech = site_speech({"site_id": request.GET["site"]})
        if speech is not None:
            _apply(request, choose(request, speech))
            request.rejoinder_theme = speech.theme  # type: ignore[attr-defined]
