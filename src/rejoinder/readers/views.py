"""The reader's own pages: profile (name, comments, subscriptions, signing out everywhere) and
notices. Plain forms that work without JavaScript; the box's bell opens the notices in place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rejoinder.accounts.profile import comments_by, rename
from rejoinder.accounts.sessions import revoke_all_sessions
from rejoinder.errors import Forbidden, RejoinderError
from rejoinder.notices.reading import mark_all_read, notices_of, unread_count
from rejoinder.readers.reader import Me, me
from rejoinder.subscriptions.subscribing import end_reader_subscription, subscriptions_of_reader
from rejoinder.web.links import comment_link
from rejoinder.web.query import small_int
from rejoinder.web.responses import refuse, wants_fragment


def _profile_context(request: HttpRequest, reader: Me, **extra: Any) -> dict[str, Any]:
    page_number = small_int(request.GET.get("page")) or 1
    comments, more = (
        comments_by(reader.commenter, page_number=page_number) if reader.commenter else ([], False)
    )
    rows = [(own, comment_link(own.comment) if own.visible else "") for own in comments]
    return {
        "reader": reader,
        "name": reader.account.display_name if reader.account else "",
        "comments": rows,
        "page_number": page_number,
        "previous_page": page_number - 1 if page_number > 1 else None,
        "next_page": page_number + 1 if more else None,
        "subscriptions": subscriptions_of_reader(reader.key) if reader.key else [],
        "unread": unread_count(reader.commenter),
        "max_name": settings.REJOINDER["NAME_MAX_LENGTH"],
        "done": {
            "signed-out": _("You are signed out everywhere."),
            "renamed": _("Your name was changed."),
            "unsubscribed": _("You will get no more mail from that subscription."),
        }.get(request.GET.get("done", ""), ""),
        **extra,
    }


@never_cache
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """The reader's page: their name, their comments and their subscriptions."""
    return render(request, "readers/profile.html", _profile_context(request, me(request)))


@never_cache
@require_POST
def change_name(request: HttpRequest) -> HttpResponse:
    """Change a signed-in reader's display name; a refused name comes back with its text."""
    reader = me(request)
    typed = request.POST.get("name", "")
    try:
        if reader.account is None:
            raise Forbidden(_("Sign in to choose the name shown with your comments."), field="name")
        rename(reader.account, typed)
    except RejoinderError as exc:
        context = _profile_context(request, reader, name=typed, name_error=exc.message)
        return render(request, "readers/profile.html", context, status=exc.status)
    return HttpResponseRedirect(reverse("readers:profile") + "?done=renamed")


@never_cache
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the reader's account, this browser's too."""
    reader = me(request)
    if reader.account is None:  # a guest has no sessions; their key stays theirs
        return HttpResponseRedirect(reverse("readers:profile"))
    revoke_all_sessions(reader.account)
    response = HttpResponseRedirect(reverse("readers:profile") + "?done=signed-out")
    response.delete_cookie(settings.REJOINDER["READER_COOKIE"])
    return response


@never_cache
@require_POST
def end_subscription(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """End one of the reader's subscriptions."""
    reader = me(request)
    try:
        end_reader_subscription(reader_key=reader.key or "", subscription_id=subscription_id)
    except RejoinderError as exc:
        return refuse(request, exc, "subscriptions/message.html", {})
    return HttpResponseRedirect(reverse("readers:profile") + "?done=unsubscribed#subscriptions")


def _notices_context(request: HttpRequest, reader: Me) -> dict[str, Any]:
    page_number = small_int(request.GET.get("page")) or 1
    found, more = (
        notices_of(reader.commenter, page_number=page_number) if reader.commenter else ([], False)
    )
    return {
        "reader": reader,
        "notices": [(notice, comment_link(notice.comment)) for notice in found],
        "unread": unread_count(reader.commenter),
        "previous_page": page_number - 1 if page_number > 1 else None,
        "next_page": page_number + 1 if more else None,
    }


@never_cache
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """The reader's notices: a page, or the list the bell's popover shows."""
    context = _notices_context(request, me(request))
    if wants_fragment(request):
        return HttpResponse(render_to_string("readers/notice_list.html", context, request=request))
    return render(request, "readers/notices.html", context)


@never_cache
@require_POST
def read_notices(request: HttpRequest) -> HttpResponse:
    """Mark all the reader's notices read; back where the form was, or to the notices."""
    reader = me(request)
    if reader.commenter is not None:
        mark_all_read(reader.commenter)
    if wants_fragment(request):
        return HttpResponse(status=204)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = reverse("readers:notices")
    return HttpResponseRedirect(back)
