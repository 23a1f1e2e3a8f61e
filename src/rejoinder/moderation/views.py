"""The moderation page: queues, actions, bans and the audit log, for a site's moderators.

Every view checks the Moderator role for the site named in its URL, and every comment, ban
or audit entry it acts on must belong to that site (docs/security.md, rule 15). Actions are
plain form posts answered with a redirect back (they work without JavaScript); moderation.js
sends the same forms with `X-Rejoinder-Fragment: 1` and gets JSON, or the queue's list markup, to
update the page in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rejoinder.comments.models import Comment
from rejoinder.errors import Forbidden, InvalidInput, NotFound, RateLimited, RejoinderError
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.moderation.actions import (
    ACTIONS,
    audit_log,
    ban_commenter,
    lift_ban,
    moderate,
    undo_action,
)
from rejoinder.moderation.models import AuditEntry, Ban
from rejoinder.moderation.queues import QUEUES, queue_counts, read_queue
from rejoinder.moderation.roles import is_moderator, moderated_sites
from rejoinder.moderation.uncounted import RECENT_DAYS, not_counted_lately
from rejoinder.pages.models import Site
from rejoinder.request_identity import ip_hash
from rejoinder.web.query import small_int
from rejoinder.web.responses import problem, refuse, wants_fragment

QUEUE_LABELS = {
    "pending": gettext_lazy("Pending"),
    "flagged": gettext_lazy("Flagged by readers"),
    "spam": gettext_lazy("Suspected spam"),
    "recent": gettext_lazy("Recent"),
}
QUEUE_PAGE_SIZE = 50
UNDO_SESSION_KEY = "rj_mod_undo"
BAN_DURATIONS = {
    "1": timedelta(days=1),
    "7": timedelta(days=7),
    "30": timedelta(days=30),
    "forever": None,
}

ACTION_LABELS = {
    "approve": gettext_lazy("Approved"),
    "remove": gettext_lazy("Removed"),
    "spam": gettext_lazy("Marked as spam"),
    "restore": gettext_lazy("Restored"),
    "ban": gettext_lazy("Banned the author"),
    "lift_ban": gettext_lazy("Lifted a ban"),
    "hide_flagged": gettext_lazy("Hidden after reader flags"),
    "undo": gettext_lazy("Undid an action"),
}

ModeratorView = Callable[..., HttpResponse]


def _undoable(entry: AuditEntry) -> bool:
    """Tell whether the log offers an Undo button (undo_action has the last word)."""
    return entry.undone_by_id is None and entry.action != "undo"


class BanForm(forms.Form):
    duration = forms.ChoiceField(
        label=gettext_lazy("Duration"),
        choices=[
            ("1", gettext_lazy("1 day")),
            ("7", gettext_lazy("7 days")),
            ("30", gettext_lazy("30 days")),
            ("forever", gettext_lazy("Forever")),
        ],
        initial="7",
    )
    by_reader = forms.BooleanField(required=False, initial=True)
    by_email = forms.BooleanField(required=False, initial=True)
    by_ip = forms.BooleanField(required=False)
    shadow = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=300)


class SignIn(LoginView):
    """The moderators' own sign-in page: a Moderator role needs no access to the admin."""

    template_name = "moderation/sign_in.html"
    redirect_authenticated_user = True
    next_page = "moderation:home"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")[:150].lower()
        try:
            enforce_rate_limit("sign_in", reader_key=f"user:{username}", ip_hash=ip_hash(request))
        except RateLimited as refused:
            context = self.get_context_data(form=self.get_form(), refused=refused.message)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(refused.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # LoginView names the request's host "site"; our templates mean a Rejoinder Site.
        context.pop("site", None)
        return context


class SignOut(LogoutView):
    next_page = "moderation:sign_in"


def _poll_seconds() -> int:
    return int(settings.REJOINDER["MODERATION_POLL_SECONDS"])


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    if wants_fragment(request):
        return problem(403, "Forbidden", message)
    return render(request, "moderation/forbidden.html", {"error": message}, status=403)


def moderator_only(view: ModeratorView) -> ModeratorView:
    """Let through only a signed-in moderator of the site in the URL; pass the Site on.

    Anonymous visitors go to the sign-in page and come back; anyone else gets a 403 page
    that says why, whether or not the site exists (no probing for site ids).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, site_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if wants_fragment(request):
                return problem(403, "Forbidden", _("Sign in to moderate."))
            return redirect_to_login(request.get_full_path())
        site = Site.objects.filter(pk=site_id).first()
        if site is None or not is_moderator(request.user, site):
            return _forbidden(request, _("Your account is not a moderator of this site."))
        return view(request, site, *args, **kwargs)

    return wrapper


def _page_context(request: HttpRequest, site: Site, section: str) -> dict[str, Any]:
    """Return what every moderation page shows: sites, queue tabs with counts, the section."""
    counts = queue_counts(site)
    return {
        "site": site,
        "sites": moderated_sites(request.user),
        "section": section,
        "tabs": [(name, QUEUE_LABELS[name], counts.get(name, 0)) for name in QUEUES],
        "poll_seconds": _poll_seconds(),
        "next": request.get_full_path(),
    }


def _next_url(request: HttpRequest, site: Site, target: str | None = None) -> str:
    """Return where to go back to: `next` (from the post) when it is a moderation page here."""
    target = request.POST.get("next", "") if target is None else target
    if target.startswith("/moderation/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("moderation:queue", kwargs={"site_id": site.pk, "name": "pending"})


def _ids(values: list[str], field: str) -> list[int]:
    try:
        ids = sorted({int(v) for v in values})
    except ValueError:
        raise InvalidInput(_("Those are not comment numbers."), field=field) from None
    if not ids:
        raise InvalidInput(_("Select at least one comment first."), field=field)
    return ids


def _site_comments(site: Site, ids: list[int]) -> None:
    """Refuse comment ids that do not exist or belong to another site."""
    found = set(Comment.objects.filter(pk__in=ids).values_list("pk", "page__site_id"))
    if len(found) < len(ids):
        raise NotFound(_("Some of those comments do not exist (any more)."))
    if any(site_id != site.pk for _pk, site_id in found):
        raise Forbidden(_("Some of those comments belong to a site you do not moderate here."))


def _refuse(request: HttpRequest, site: Site, exc: RejoinderError) -> HttpResponse:
    context = {"site": site, "back": _next_url(request, site)}
    return refuse(request, exc, "moderation/message.html", context)


def _done(
    request: HttpRequest, site: Site, message: str, entries: list[AuditEntry], **extra: Any
) -> HttpResponse:
    """Answer a successful action: JSON for the script, a message and a redirect otherwise."""
    undo = [entry.pk for entry in entries]
    if wants_fragment(request):
        return JsonResponse(
            {"message": message, "undo": undo, "counts": queue_counts(site), **extra}
        )
    messages.success(request, message)
    if undo:
        request.session[UNDO_SESSION_KEY] = {"site": site.pk, "entries": undo}
    return HttpResponseRedirect(_next_url(request, site))


def _pop_undo(request: HttpRequest, site: Site) -> list[int]:
    """Return the audit entries the last no-JS action offers to undo (shown once)."""
    offer = request.session.pop(UNDO_SESSION_KEY, None)
    if not isinstance(offer, dict) or offer.get("site") != site.pk:
        return []
    return [int(pk) for pk in offer.get("entries", [])]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Open the first site the signed-in moderator looks after."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    sites = moderated_sites(request.user)
    if not sites:
        return _forbidden(request, _("Your account is not a moderator of any site."))
    return HttpResponseRedirect(
        reverse("moderation:queue", kwargs={"site_id": sites[0].pk, "name": "pending"})
    )


@require_GET
@moderator_only
def queue(request: HttpRequest, site: Site, name: str) -> HttpResponse:
    """Show one queue, newest first, `QUEUE_PAGE_SIZE` at a time (older ones by `before`)."""
    if name not in QUEUES:
        raise Http404(name)
    items = read_queue(
        site, name, limit=QUEUE_PAGE_SIZE, before_id=small_int(request.GET.get("before"))
    )
    context = {
        **_page_context(request, site, name),
        "queue": name,
        "queue_label": QUEUE_LABELS[name],
        "items": items,
        "older": items[-1].comment.pk if len(items) == QUEUE_PAGE_SIZE else None,
        "undo_entries": _pop_undo(request, site),
        "ban_form": BanForm(),
    }
    if wants_fragment(request):
        return render(request, "moderation/list.html", context)
    return render(request, "moderation/queue.html", context)


@require_GET
@moderator_only
def counts(request: HttpRequest, site: Site) -> HttpResponse:
    """Return the number of comments in each queue, for the tabs' badges."""
    response = JsonResponse({"counts": queue_counts(site)})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@moderator_only
def act(request: HttpRequest, site: Site) -> HttpResponse:
    """Approve, remove, mark as spam or restore the chosen comments (one or many)."""
    action = request.POST.get("action", "")
    try:
        ids = _ids(request.POST.getlist("comment_ids"), "comment_ids")
        if action not in ACTIONS:
            raise InvalidInput(_("Choose approve, remove, spam or restore."), field="action")
        _site_comments(site, ids)
        entries = moderate(
            comment_ids=ids,
            action=action,
            moderator=request.user,
            note=request.POST.get("note", "")[:500],
        )
    except RejoinderError as exc:
        return _refuse(request, site, exc)
    n = len(ids)
    message = {
        "approve": ngettext("Approved %(n)d comment.", "Approved %(n)d comments.", n),
        "remove": ngettext("Removed %(n)d comment.", "Removed %(n)d comments.", n),
        "spam": ngettext("Marked %(n)d comment as spam.", "Marked %(n)d comments as spam.", n),
        "restore": ngettext("Restored %(n)d comment.", "Restored %(n)d comments.", n),
    }[action] % {"n": n}
    return _done(request, site, message, entries, done=ids)


@require_http_methods(["GET", "POST"])
@moderator_only
def ban(request: HttpRequest, site: Site, comment_id: int) -> HttpResponse:
    """Show the ban form for a comment's author (GET), or ban them (POST)."""
    comment = Comment.objects.select_related("page", "author").filter(pk=comment_id).first()
    try:
        if comment is None:
            raise NotFound(_("That comment does not exist (any more)."))
        if comment.page.site_id != site.pk:
            raise Forbidden(_("That comment belongs to a site you do not moderate here."))
    except RejoinderError as exc:
        return _refuse(request, site, exc)
    form = BanForm(request.POST or None)
    back = _next_url(
        request, site, request.GET.get("next", "") if request.method == "GET" else None
    )
    context = {
        **_page_context(request, site, "ban"),
        "comment": comment,
        "form": form,
        "next": back,
    }
    if request.method == "GET":
        return render(request, "moderation/ban.html", context)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose how long the ban lasts."), field="duration")
        data = form.cleaned_data
        made = ban_commenter(
            comment_id=comment.pk,
            moderator=request.user,
            duration=BAN_DURATIONS[data["duration"]],
            by_reader=data["by_reader"],
            by_email=data["by_email"],
            by_ip=data["by_ip"],
            shadow=data["shadow"],
            reason=data["reason"],
        )
    except RejoinderError as exc:
        return refuse(request, exc, "moderation/ban.html", context)
    what = _("Shadow-banned %(name)s") if made.shadow else _("Banned %(name)s")
    until = (
        _("until %(date)s")
        % {"date": date_format(timezone.localtime(made.until), site.date_format)}
        if made.until
        else _("for good")
    )
    message = f"{what % {'name': comment.author_name}} {until}."
    entries = list(AuditEntry.objects.filter(ban=made, action="ban"))
    return _done(request, site, message, entries, ban=made.pk)


@require_GET
@moderator_only
def bans(request: HttpRequest, site: Site) -> HttpResponse:
    """List the site's bans in force, newest first."""
    now = timezone.now()
    active = (
        Ban.objects.filter(site=site, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .select_related("commenter", "created_by")
        .order_by("-created_at")[:200]
    )
    context = {**_page_context(request, site, "bans"), "bans": active}
    return render(request, "moderation/bans.html", context)


@require_POST
@moderator_only
def lift(request: HttpRequest, site: Site, ban_id: int) -> HttpResponse:
    """Lift one of the site's bans."""
    try:
        if not Ban.objects.filter(pk=ban_id, site=site).exists():
            raise NotFound(_("That ban does not exist on this site."))
        lift_ban(ban_id=ban_id, moderator=request.user)
    except RejoinderError as exc:
        return _refuse(request, site, exc)
    return _done(request, site, _("The ban is lifted."), [])


@require_GET
@moderator_only
def not_counted(request: HttpRequest, site: Site) -> HttpResponse:
    """List the votes and ratings refused lately because one address had given its share."""
    context = {
        **_page_context(request, site, "not_counted"),
        "rows": not_counted_lately(site),
        "days": RECENT_DAYS,
    }
    return render(request, "moderation/not_counted.html", context)


@require_GET
@moderator_only
def audit(request: HttpRequest, site: Site) -> HttpResponse:
    """Show the site's audit log: who did what, when, and the way back."""
    rows = [
        (entry, ACTION_LABELS.get(entry.action, entry.action), _undoable(entry))
        for entry in audit_log(site, limit=100)
    ]
    context = {**_page_context(request, site, "audit"), "rows": rows}
    return render(request, "moderation/audit.html", context)


@require_POST
@moderator_only
def undo(request: HttpRequest, site: Site) -> HttpResponse:
    """Undo one or more audit entries of this site, all or none."""
    try:
        ids = _ids(request.POST.getlist("entry_ids"), "entry_ids")
        if AuditEntry.objects.filter(pk__in=ids, site=site).count() < len(ids):
            raise Forbidden(_("Some of those actions are not in this site's log."))
        with transaction.atomic():
            for entry_id in ids:
                undo_action(entry_id=entry_id, moderator=request.user)
    except RejoinderError as exc:
        return _refuse(request, site, exc)
    message = ngettext("Undone: %(n)d action.", "Undone: %(n)d actions.", len(ids)) % {
        "n": len(ids)
    }
    return _done(request, site, message, [])
