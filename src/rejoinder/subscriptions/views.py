"""Subscription pages: subscribe from the box, confirm, one-click unsubscribe, manage."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rejoinder.errors import RejoinderError
from rejoinder.pages.models import Page
from rejoinder.request_identity import ensure_reader, ip_hash, remember_reader
from rejoinder.subscriptions.models import Subscription
from rejoinder.subscriptions.subscribing import (
    confirm_subscription,
    end_subscription,
    subscribe,
    subscriptions_of,
)
from rejoinder.subscriptions.tokens import (
    managed_address,
    subscription_to_confirm,
    subscription_to_end,
    unsubscribe_token,
)
from rejoinder.web.embedding import embeddable, site_of_page
from rejoinder.web.responses import refuse, wants_fragment


@embeddable(site_of_page)
@require_POST
def subscribe_to_page(request: HttpRequest, page_id: int) -> HttpResponse:
    """Subscribe the address in the box's "Notify of" form."""
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    key, new_token = ensure_reader(request)
    try:
        result = subscribe(
            page=page,
            email=request.POST.get("email", ""),
            kind=request.POST.get("kind", ""),
            reader_key=key,
            ip_hash=ip_hash(request),
        )
    except RejoinderError as exc:
        return refuse(request, exc, "subscriptions/message.html", {})
    context = {"page": page, "confirmed": result.confirmed, "email": result.subscription.email}
    if wants_fragment(request):
        response: HttpResponse = HttpResponse(
            render_to_string("subscriptions/subscribed.html", context, request=request)
        )
    else:
        response = render(request, "subscriptions/subscribed_page.html", context)
    remember_reader(response, new_token)
    return response


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show a button (GET, so that link scanners confirm nothing) that confirms (POST)."""
    try:
        subscription = subscription_to_confirm(token)
    except RejoinderError as exc:
        return refuse(request, exc, "subscriptions/message.html", {})
    if request.method == "POST":
        confirm_subscription(subscription)
        return render(
            request,
            "subscriptions/confirmed.html",
            {"subscription": subscription, "unsubscribe_token": unsubscribe_token(subscription)},
        )
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


@csrf_exempt  # the signed token authorises it; mail clients send RFC 8058 one-click POSTs
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """End one subscription: GET shows a button, POST (or a mail client's one-click) ends it."""
    try:
        subscription = subscription_to_end(token)
    except RejoinderError as exc:
        return refuse(request, exc, "subscriptions/message.html", {})
    if request.method == "POST":
        end_subscription(subscription)
        back = request.POST.get("back", "")
        if back.startswith("/subscriptions/manage/"):
            return HttpResponseRedirect(back)
        return render(request, "subscriptions/unsubscribed.html", {"subscription": subscription})
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})


def manage(request: HttpRequest, token: str) -> HttpResponse:
    """List every subscription of an address on a site, each with its unsubscribe button."""
    try:
        site_id, email = managed_address(token)
    except RejoinderError as exc:
        return refuse(request, exc, "subscriptions/message.html", {})
    subscriptions: list[Subscription] = subscriptions_of(site_id=site_id, email=email)
    rows = [(s, unsubscribe_token(s)) for s in subscriptions]
    return render(
        request,
        "subscriptions/manage.html",
        {"email": email, "rows": rows, "back": request.path, "title": _("Your subscriptions")},
    )
