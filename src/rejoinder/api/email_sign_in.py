"""Signing readers in with a one-time link mailed to them."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from rejoinder.accounts.email_sign_in import finish_email_sign_in, request_sign_in_link
from rejoinder.accounts.sessions import is_session_token
from rejoinder.api.accounts import SIGN_IN_ERRORS, account_out
from rejoinder.api.schemas import AccountOut, Id, StrictIn
from rejoinder.errors import NotFound
from rejoinder.pages.models import Site
from rejoinder.request_identity import ip_hash, reader_key, reader_token

router = Router(tags=["sign-in"])


class EmailSignInIn(StrictIn):
    site: Id
    email: str = Field(max_length=1000, description="The reader's address; the link goes there.")


class EmailSignInOut(Schema):
    sent: bool = Field(description="Always true: the same answer for every address, known or not.")


class EmailSignInFinishIn(StrictIn):
    token: str = Field(
        max_length=1000, description="The secret of the mailed link: its last path segment."
    )
    name: str = Field(
        "",
        max_length=1000,
        description="The name shown beside the reader's comments: needed the first time, "
        "unless this browser's guest has one; otherwise the account keeps its own.",
    )


class EmailSignInFinishOut(Schema):
    reader: str = Field(
        description="The session token: send it as `X-Rejoinder-Reader` from now on."
    )
    account: AccountOut
    merged: bool = Field(description="Whether this browser's guest history joined the account.")


@router.post(
    "/sign-in/email",
    response={202: EmailSignInOut, **SIGN_IN_ERRORS},
    summary="Mail the reader a one-time sign-in link",
)
def email_sign_in(request: HttpRequest, payload: EmailSignInIn) -> Status:
    """Mail a link, valid 15 minutes and once, to `email` (sites with sign-in by email on).

    The answer is the same for every address; past the limits per address and per client it
    is 429 with Retry-After.
    """
    site = Site.objects.filter(pk=payload.site).first()
    if site is None:
        raise NotFound(_("There is no site %(id)d.") % {"id": payload.site}, field="site")
    request_sign_in_link(site=site, email=payload.email, ip_hash=ip_hash(request))
    return Status(202, {"sent": True})


@router.post(
    "/sign-in/email/finish",
    response={200: EmailSignInFinishOut, **SIGN_IN_ERRORS},
    summary="Use a mailed sign-in link: open a reader session",
)
def email_sign_in_finish(request: HttpRequest, payload: EmailSignInFinishIn) -> dict[str, Any]:
    """Use the link's secret once; send the browser's guest token as `X-Rejoinder-Reader` so
    that its history joins the account. An unknown link is 404, a used one 409 and an expired
    one 401, each with `reason` (`unknown`, `used`, `expired`)."""
    token = reader_token(request)
    signed_in, _link = finish_email_sign_in(
        token=payload.token,
        name=payload.name,
        guest_key=None if is_session_token(token) else reader_key(request),
    )
    return {
        "reader": signed_in.token,
        "account": account_out(signed_in.account),
        "merged": signed_in.merged,
    }
