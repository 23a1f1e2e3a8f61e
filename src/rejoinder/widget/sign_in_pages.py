"""The sign-in pages of our own site: by email, with OpenID Connect, and signing out.

They work without JavaScript. The link's page only shows a button on GET (mail scanners that
open links sign nobody in); pressing it signs in the browser that pressed it, whose guest
history joins the account, and sets the reader cookie to the new session.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rejoinder.accounts.email_sign_in import (
    LINK_MINUTES,
    email_sign_in_enabled,
    existing_account,
    finish_email_sign_in,
    request_sign_in_link,
    safe_return_to,
    site_of_link,
    usable_link,
)
from rejoinder.accounts.models import OidcProvider
from rejoinder.accounts.oidc import LOGIN_MINUTES, finish_sign_in, start_sign_in
from rejoinder.accounts.sessions import is_session_token, revoke_session
from rejoinder.comments.identity import find_commenter
from rejoinder.errors import RateLimited, RejoinderError
from rejoinder.pages.models import Site
from rejoinder.request_identity import ip_hash, reader_key, reader_token
from rejoinder.web.query import small_int


def _site(value: object) -> Site | None:
    site_id = small_int(value) if isinstance(value, str) else None
    return Site.objects.filter(pk=site_id).first() if site_id else None


def _back(value: object) -> str:
    return safe_return_to(value) or reverse("pages:index")


def _set_session_cookie(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        settings.REJOINDER["READER_COOKIE"],
        token,
        max_age=settings.REJOINDER["READER_SESSION_DAYS"] * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@require_http_methods(["GET", "POST"])
def email_sign_in(request: HttpRequest) -> HttpResponse:
    """GET: the form asking for an address. POST: mail a link (the same answer for every address)."""
    data = request.POST if request.method == "POST" else request.GET
    site = _site(data.get("site", ""))
    next_path = safe_return_to(data.get("next", ""))
    context: dict[str, object] = {
        "site": site,
        "email": data.get("email", "")[:254] if isinstance(data.get("email"), str) else "",
        "next": next_path,
    }
    if site is None or not email_sign_in_enabled(site):
        context["error"] = _no_email_sign_in()
        return render(request, "widget/sign_in/email.html", context, status=404)
    if request.method == "GET":
        return render(request, "widget/sign_in/email.html", context)
    try:
        address = request_sign_in_link(
            site=site,
            email=data.get("email", ""),
            ip_hash=ip_hash(request),
            return_to=next_path,
        )
    except RejoinderError as exc:
        response = render(
            request,
            "widget/sign_in/email.html",
            {**context, "error": exc.message},
            status=exc.status,
        )
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return render(
        request,
        "widget/sign_in/email_sent.html",
        {**context, "email": address, "minutes": LINK_MINUTES},
    )


def _no_email_sign_in() -> str:
    return _("This site does not offer signing in by email.")


@require_http_methods(["GET", "POST"])
def email_sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the button (and the name to show); POST signs this browser in, once."""
    token_of_browser = reader_token(request)
    guest_key = None if is_session_token(token_of_browser) else reader_key(request)
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            signed_in, link = finish_email_sign_in(token=token, name=name, guest_key=guest_key)
        except RejoinderError as exc:
            return _refused_link(request, token, exc, name)
        response = HttpResponseRedirect(_back(link.return_to))
        response.status_code = 303
        _set_session_cookie(response, signed_in.token)
        return response
    try:
        link = usable_link(token)
    except RejoinderError as exc:
        return _refused_link(request, token, exc, "")
    account = existing_account(link.site, link.email)
    guest = find_commenter(guest_key) if guest_key else None
    name = account.display_name if account else (guest.display_name if guest else "")
    return render(
        request, "widget/sign_in/email_link.html", {"link": link, "name": name, "new": not account}
    )


def _refused_link(request: HttpRequest, token: str, exc: RejoinderError, name: str) -> HttpResponse:
    """A used, expired or unknown link: say which, and offer to ask again."""
    link = None
    if exc.field == "name":
        try:
            link = usable_link(token)
        except RejoinderError as link_refused:
            exc = link_refused
    if link is not None:
        return render(
            request,
            "widget/sign_in/email_link.html",
            {"link": link, "name": name, "new": True, "error": exc.message},
            status=exc.status,
        )
    site = site_of_link(token)
    context = {
        "error": exc.message,
        "site": site,
        "offered": bool(site and email_sign_in_enabled(site)),
    }
    return render(request, "widget/sign_in/link_refused.html", context, status=exc.status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End this browser's session and forget its cookie; back to where the reader was."""
    revoke_session(reader_token(request))
    response = HttpResponseRedirect(_back(request.POST.get("next", "")))
    response.status_code = 303
    response.delete_cookie(settings.REJOINDER["READER_COOKIE"], samesite="Lax")
    return response


OIDC_COOKIE = "rj_oidc"


@require_GET
def oidc_start(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Send the browser to the provider, with a cookie binding the sign-in to this browser."""
    provider = (
        OidcProvider.objects.select_related("site").filter(pk=provider_id, enabled=True).first()
    )
    if provider is None:
        return render(
            request,
            "widget/sign_in/oidc_refused.html",
            {"error": _("There is no such way to sign in.")},
            status=404,
        )
    try:
        url, browser = start_sign_in(provider, return_to=request.GET.get("next", ""))
    except RejoinderError as exc:
        return render(
            request, "widget/sign_in/oidc_refused.html", {"error": exc.message}, status=exc.status
        )
    response = HttpResponseRedirect(url)
    response.set_cookie(
        OIDC_COOKIE,
        browser,
        max_age=LOGIN_MINUTES * 60,
        httponly=True,
        samesite="Lax",  # the provider's redirect back is a top-level GET
        secure=settings.SESSION_COOKIE_SECURE,
        path=reverse("widget:oidc_callback"),
    )
    return response


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's redirect back: sign this browser in, or say clearly why not."""
    token_of_browser = reader_token(request)
    params = {k: v for k, v in request.GET.items() if isinstance(v, str)}
    try:
        signed_in, login = finish_sign_in(
            params=params,
            browser=request.COOKIES.get(OIDC_COOKIE),
            guest_key=None if is_session_token(token_of_browser) else reader_key(request),
        )
    except RejoinderError as exc:
        response = render(
            request, "widget/sign_in/oidc_refused.html", {"error": exc.message}, status=exc.status
        )
        response.delete_cookie(OIDC_COOKIE, path=reverse("widget:oidc_callback"))
        return response
    response = HttpResponseRedirect(_back(login.return_to))
    response.status_code = 303
    _set_session_cookie(response, signed_in.token)
    response.delete_cookie(OIDC_COOKIE, path=reverse("widget:oidc_callback"))
    return response
