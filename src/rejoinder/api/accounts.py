"""Signing readers in with the publisher's single sign-on, and out again."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from rejoinder.accounts.models import Account
from rejoinder.accounts.sessions import is_session_token, revoke_all_sessions, revoke_session
from rejoinder.accounts.sso import sign_in_with_sso
from rejoinder.api.schemas import ProblemOut, SignOutIn, SignOutOut, SsoExchangeIn, SsoExchangeOut
from rejoinder.errors import NotFound
from rejoinder.pages.models import Site
from rejoinder.request_identity import ip_hash, reader_key, reader_token

router = Router(tags=["sign-in"])
SIGN_IN_ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 415, 422, 429), ProblemOut)


def account_out(account: Account) -> dict[str, Any]:
    return {
        "name": account.display_name,
        "avatar": account.avatar_url,
        "profile": account.profile_url,
        "roles": list(account.roles),
        "email_verified": account.email_verified,
    }


@router.post(
    "/sso/exchange",
    response={200: SsoExchangeOut, **SIGN_IN_ERRORS},
    summary="Exchange the publisher's sign-in token for a reader session",
)
def sso_exchange(request: HttpRequest, payload: SsoExchangeIn) -> dict[str, Any]:
    """Check the publisher's JWT and open a session for its reader.

    Send the browser's guest token as `X-Rejoinder-Reader` too: that guest's comments, votes,
    ratings and subscriptions join the account. A refused token is 401, 403, 409 or 422 with
    `reason` (e.g. `expired`, `algorithm`, `replayed`) and nothing stored.
    """
    site = Site.objects.filter(pk=payload.site).first()
    if site is None:
        raise NotFound(_("There is no site %(id)d.") % {"id": payload.site}, field="site")
    token = reader_token(request)
    signed_in = sign_in_with_sso(
        site=site,
        token=payload.token,
        guest_key=None if is_session_token(token) else reader_key(request),
        ip_hash=ip_hash(request),
        current_token=token,
    )
    return {
        "reader": signed_in.token,
        "account": account_out(signed_in.account),
        "merged": signed_in.merged,
    }


@router.post(
    "/sso/sign-out",
    response={200: SignOutOut, **SIGN_IN_ERRORS},
    summary="End this reader session, or every session of its account",
)
def sign_out(request: HttpRequest, payload: SignOutIn) -> dict[str, Any]:
    """End the session named by `X-Rejoinder-Reader`; with `everywhere`, all of its account's."""
    account = revoke_session(reader_token(request))
    if account is None:
        return {"ended": 0}
    return {"ended": 1 + (revoke_all_sessions(account) if payload.everywhere else 0)}
