"""Signing in to the box with the publisher's token, and out again (docs/identity.md).

Both answer the embed (cross-origin, the token in headers) and Rejoinder's own pages (the
reader cookie). Signing in sets the session token where a guest token would be; signing out
ends the session and gives the browser a fresh guest token.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rejoinder.accounts.sessions import is_session_token, revoke_all_sessions, revoke_session
from rejoinder.accounts.sso import sign_in_with_sso
from rejoinder.comments.identity import issue_reader_token
from rejoinder.errors import RejoinderError, TokenRefused
from rejoinder.pages.models import Site
from rejoinder.request_identity import ip_hash, reader_key, reader_token, remember_reader
from rejoinder.web.embedding import embeddable, site_of_site
from rejoinder.web.responses import problem, wants_fragment


@embeddable(site_of_site)
@require_POST
def sign_in(request: HttpRequest, site_id: int) -> HttpResponse:
    """Exchange the publisher's token (`token`) for a session in this browser."""
    site = get_object_or_404(Site, pk=site_id)
    current = reader_token(request)
    try:
        signed_in = sign_in_with_sso(
            site=site,
            token=request.POST.get("token", ""),
            guest_key=None if is_session_token(current) else reader_key(request),
            ip_hash=ip_hash(request),
            current_token=current,
        )
    except RejoinderError as exc:
        reason = {"reason": exc.reason} if isinstance(exc, TokenRefused) else {}
        return problem(exc.status, exc.title, exc.message, field=exc.field, **reason)
    response = JsonResponse({"name": signed_in.account.display_name, "merged": signed_in.merged})
    remember_reader(response, signed_in.token)
    return response


@embeddable(site_of_site)
@require_POST
def sign_out(request: HttpRequest, site_id: int) -> HttpResponse:
    """End this browser's session (with `everywhere`, all of its account's); it is a guest again."""
    site = get_object_or_404(Site, pk=site_id)
    account = revoke_session(reader_token(request))
    if account is not None and request.POST.get("everywhere"):
        revoke_all_sessions(account)
    back = request.POST.get("next", "")
    if wants_fragment(request):
        # The box replaces its Sign out form with this.
        response: HttpResponse = render(
            request, "widget/signed_out.html", {"site": site, "signed_out": True}
        )
    elif not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        response = HttpResponse(status=204)
    else:
        response = HttpResponseRedirect(back)
        response.status_code = 303
    remember_reader(response, issue_reader_token())
    return response
