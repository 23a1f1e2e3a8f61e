"""The discussion box's HTML endpoints: real forms that work without JavaScript.

Each action answers a plain form post with a redirect back to the comment, and a request from
the box's script (header `X-Rejoinder-Fragment: 1`) with the re-rendered markup to swap in, or
a problem+json error. Either way the same domain function does the work.
"""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rejoinder.comments.identity import commenter_for, find_commenter
from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.comments.posting import delete_comment, edit_comment, get_own_comment
from rejoinder.comments.thread import parse_sort
from rejoinder.comments.voting import vote_on_comment
from rejoinder.errors import Forbidden, InvalidFields, InvalidInput, NotFound, RejoinderError
from rejoinder.inline.posting import PassageSelector, submit_comment
from rejoinder.inline.reading import find_passage, prompts_for
from rejoinder.inline.rendering import render_article_body
from rejoinder.moderation.flags import flag_comment
from rejoinder.moderation.timing import seconds_since
from rejoinder.pages.lookup import page_by_id
from rejoinder.pages.models import Article, Page
from rejoinder.ratings.rating import rate_page
from rejoinder.request_identity import ensure_reader, ip_hash, reader_key, remember_reader
from rejoinder.subscriptions.subscribing import subscribe_author_to_replies
from rejoinder.web.conditional import revalidated
from rejoinder.web.embedding import embeddable, site_of_comment, site_of_page
from rejoinder.web.links import comment_form_link, comment_link, page_link
from rejoinder.web.query import small_int
from rejoinder.web.responses import field_errors, problem, refuse, wants_fragment
from rejoinder.widget.box import (
    held_notice,
    render_box,
    render_passage_panel,
    render_replies,
    render_thread,
)
from rejoinder.widget.box_request import BoxRequest
from rejoinder.widget.caching import inline_total
from rejoinder.widget.context import comment_context
from rejoinder.widget.forms import CommentForm, EditForm, RatingForm, ReportForm, VoteForm


def _labelled_error(form: forms.Form, field: str, message: str) -> InvalidInput:
    label = form.fields[field].label if field in form.fields else ""
    return InvalidInput(f"{label}: {message}" if label else message, field=field)


def _first_form_error(
    form: CommentForm | EditForm | VoteForm | RatingForm | ReportForm,
) -> InvalidInput:
    field, errors = next(iter(form.errors.items()))
    return _labelled_error(form, field, str(errors[0]))


def _author_context(request: HttpRequest, comment: Comment) -> dict:
    """Return the template context that renders one comment as its author sees it."""
    return {
        **comment_context(
            comment.page, [comment], reader_id=comment.author_id, csrf_token=get_token(request)
        ),
        "comment": comment,
        "node": None,
    }


def _render_inner(request: HttpRequest, comment: Comment) -> str:
    return render_to_string(
        "widget/comment_inner.html", _author_context(request, comment), request=request
    )


@require_GET
def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Redirect to the page of the thread where the comment is shown."""
    comment = get_object_or_404(
        Comment.objects.select_related("page__site"),
        pk=comment_id,
        status__in=(CommentStatus.PUBLISHED, CommentStatus.REMOVED),
    )
    return HttpResponseRedirect(comment_link(comment))


@embeddable(site_of_page)
@require_GET
@revalidated(page_by_id)
def thread_fragment(request: HttpRequest, page_id: int) -> HttpResponse:
    """Return the thread list markup for one page of top-level comments (for "Load more")."""
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    box = BoxRequest.from_request(request, page)
    if request.GET.get("after") and box.after is None:
        return problem(400, _("Bad request"), _("That page cursor is not valid."), field="after")
    reader = find_commenter(reader_key(request))
    return HttpResponse(render_thread(request, page, box, reader))


@embeddable(site_of_page)
@require_GET
def replies(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Show the next replies under a comment ("N more replies"): a page without JavaScript,
    the list markup the box's script inserts with it (same URL, by the fragment header)."""
    parent = get_object_or_404(
        Comment.objects.select_related("page__site"),
        pk=comment_id,
        status__in=(CommentStatus.PUBLISHED, CommentStatus.REMOVED),
    )
    try:
        markup, context = render_replies(
            request,
            parent,
            after=request.GET.get("after") or None,
            reply_to=small_int(request.GET.get("reply")),
        )
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    if wants_fragment(request):
        response = HttpResponse(markup)
    else:
        response = render(request, "widget/replies_page.html", context)
    patch_vary_headers(response, ["X-Rejoinder-Fragment"])
    return response


@require_GET
@revalidated(page_by_id)
def box_fragment(request: HttpRequest, page_id: int) -> HttpResponse:
    """Return the whole discussion box for a page."""
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    return HttpResponse(render_box(request, page))


def _passage_selector(form: CommentForm) -> tuple[PassageSelector | None, int | None]:
    """Return the quoted passage and the author's question a form carries (either may be None).

    The passage is only gathered here; the inline domain checks it (its position included) and
    refuses it as a form error that keeps the reader's text.
    """
    data = form.cleaned_data
    exact = data.get("passage_exact") or ""
    prompt_id = data.get("prompt")
    if not exact:
        return None, prompt_id
    selector = PassageSelector(
        exact=exact,
        prefix=data.get("passage_prefix") or "",
        suffix=data.get("passage_suffix") or "",
        start=data.get("passage_start"),
        end=data.get("passage_end"),
    )
    return selector, prompt_id


def _form_error(form: CommentForm) -> RejoinderError:
    """Return what is wrong with an invalid form (every field); a malformed passage is a bad request."""
    bad_passage = [f for f in form.errors if f in CommentForm.PASSAGE_FIELDS]
    if bad_passage:
        return RejoinderError(
            _("The quoted passage is not valid: %(error)s")
            % {"error": form.errors[bad_passage[0]][0]},
            field="passage",
        )
    return InvalidFields(
        [_labelled_error(form, field, str(errors[0])) for field, errors in form.errors.items()]
    )


# The commenter's fields, in the order the form shows them (the first marked one gets the focus).
_FORM_FIELDS = ("body", "name", "email", "website")


def _retry_context(form: CommentForm, page: Page, exc: RejoinderError) -> dict:
    """Return what the "not posted" page needs: the same quote again, every refused field marked."""
    data = form.data
    refused = field_errors(exc)
    marked = {field: refused[field] for field in _FORM_FIELDS if field in refused}
    parent = data.get("parent", "")
    parent = parent if parent.isascii() and parent.isdigit() else None
    prompt_id = small_int(data.get("prompt"))
    prompt = None
    if prompt_id is not None:
        prompt = next((p for p in prompts_for(page) if p.pk == prompt_id), None)
    quote = None
    if data.get("passage_exact"):
        quote = {
            "exact": data.get("passage_exact", ""),
            "prefix": data.get("passage_prefix", ""),
            "suffix": data.get("passage_suffix", ""),
            "start": data.get("passage_start", ""),
            "end": data.get("passage_end", ""),
        }
    return {
        "form": form,
        "page": page,
        "retry_quote": quote,
        "retry_prompt": prompt,
        "retry_cancel": comment_form_link(page),
        "retry_parent": parent,
        "retry_reply_cancel": reverse("widget:permalink", args=[int(parent)]) if parent else "",
        "field_errors": marked,
        "first_invalid": next(iter(marked), None),
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
    }


@embeddable(site_of_page)
@require_POST
def post(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    form = CommentForm(request.POST)
    key, new_token = ensure_reader(request)
    try:
        if not form.is_valid():
            raise _form_error(form)
        selector, prompt_id = _passage_selector(form)
        fields = {
            "page": page,
            "author": commenter_for(key, just_issued=new_token is not None),
            "name": form.cleaned_data["name"],
            "email": form.cleaned_data["email"],
            "website": form.cleaned_data["website"],
            "body": form.cleaned_data["body"],
            "ip_hash": ip_hash(request),
            "honeypot": form.cleaned_data["homepage"],
            "elapsed_seconds": seconds_since(form.cleaned_data["rendered_at"]),
        }
        comment = submit_comment(
            **fields,
            parent_id=form.cleaned_data["parent"],
            selector=selector,
            prompt_id=prompt_id,
        )
        notices = [held_notice(comment)]
        if form.cleaned_data["notify_replies"]:
            subscribed = subscribe_author_to_replies(comment=comment, ip_hash=fields["ip_hash"])
            notices.append(subscribed.message)
        notice = " ".join(n for n in notices if n)
    except RejoinderError as exc:
        return refuse(request, exc, "widget/post_failed.html", _retry_context(form, page, exc))
    if wants_fragment(request):
        page.refresh_from_db()
        response = HttpResponse(
            render_to_string(
                "widget/comment.html", _author_context(request, comment), request=request
            ),
            status=201,
            headers={"X-Rejoinder-Comment-Count": str(page.comment_count)},
        )
        if notice:
            response["X-Rejoinder-Notice"] = quote(notice)
    else:
        response = HttpResponseRedirect(comment_link(comment, posted=True))
    remember_reader(response, new_token)
    return response


@require_GET
def article_fragment(request: HttpRequest, page_id: int) -> HttpResponse:
    """Return the article's body with its highlights (refreshed by the script after a post)."""
    article = get_object_or_404(
        Article.objects.select_related("page__site"), page_id=page_id, is_published=True
    )
    return HttpResponse(
        render_article_body(article),
        headers={"X-Rejoinder-Inline-Count": str(inline_total(article.page))},
    )


@embeddable(site_of_page)
@require_GET
def passage_fragment(request: HttpRequest, page_id: int) -> HttpResponse:
    """Return the panel with the comments on one highlighted passage: `start`-`end` of the
    current text, or, on a page whose text is unknown (an embed), `exact`, `prefix`, `suffix`."""
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    query = request.GET
    start, end = small_int(query.get("start")), small_int(query.get("end"))
    if query.get("exact"):
        quote = (query["exact"], query.get("prefix", ""), query.get("suffix", ""))
        found = find_passage(page, quote=quote)
    elif start is None or end is None:
        return problem(400, _("Bad request"), _("Give the passage's start and end."), field="start")
    else:
        found = find_passage(page, start=start, end=end)
    if found is None:
        return problem(404, _("Not found"), _("No comments are anchored at that passage any more."))
    return HttpResponse(render_passage_panel(request, page, found))


@embeddable(site_of_comment)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Show the edit form (GET) or save the new text (POST), for the author within the window."""
    editor = find_commenter(reader_key(request))
    try:
        comment = get_own_comment(comment_id=comment_id, requester=editor)
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    form = EditForm(request.POST or None, initial={"body": comment.body})
    window = comment.page.site.edit_window_minutes
    if request.method == "GET" and not comment.is_editable(timezone.now(), window):
        message = ngettext(
            "Comments can be edited for %(minutes)d minute after posting; that time is over.",
            "Comments can be edited for %(minutes)d minutes after posting; that time is over.",
            window,
        ) % {"minutes": window}
        return refuse(request, Forbidden(message), "widget/message.html", {})
    if request.method == "GET":
        return render(request, "widget/edit.html", {"form": form, "comment": comment})
    try:
        if not form.is_valid():
            raise _first_form_error(form)
        comment = edit_comment(comment_id=comment_id, editor=editor, body=form.cleaned_data["body"])
    except RejoinderError as exc:
        return refuse(request, exc, "widget/edit.html", {"form": form, "comment": comment})
    if wants_fragment(request):
        return HttpResponse(_render_inner(request, comment))
    return HttpResponseRedirect(comment_link(comment))


@embeddable(site_of_comment)
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Ask for confirmation (GET) or delete the reader's own comment (POST)."""
    requester = find_commenter(reader_key(request))
    try:
        comment = get_own_comment(comment_id=comment_id, requester=requester)
        if request.method == "GET":
            return render(request, "widget/delete.html", {"comment": comment})
        page = comment.page
        placeholder = delete_comment(comment_id=comment_id, requester=requester)
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    if wants_fragment(request):
        page.refresh_from_db(fields=["comment_count"])
        count = {"X-Rejoinder-Comment-Count": str(page.comment_count)}
        if placeholder is None:
            return HttpResponse(status=204, headers=count)
        return HttpResponse(_render_inner(request, placeholder), headers=count)
    if placeholder is not None:
        return HttpResponseRedirect(comment_link(placeholder))
    return HttpResponseRedirect(
        page_link(page, sort=parse_sort(None, page.site.default_sort), page_number=1)
    )


@embeddable(site_of_comment)
@require_POST
def vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    form = VoteForm(request.POST)
    key, new_token = ensure_reader(request)
    try:
        if not form.is_valid():
            raise _first_form_error(form)
        comment = vote_on_comment(
            comment_id=comment_id,
            voter=commenter_for(key),
            value=form.cleaned_data["value"],
            ip_hash=ip_hash(request),
        )
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    if wants_fragment(request):
        response: HttpResponse = HttpResponse(
            render_to_string(
                "widget/votes.html",
                {
                    "comment": comment,
                    "my_vote": form.cleaned_data["value"],
                    "csrf_token_value": get_token(request),
                    "reader_id": None,
                },
                request=request,
            )
        )
    else:
        response = HttpResponseRedirect(comment_link(comment))
    remember_reader(response, new_token)
    return response


@embeddable(site_of_page)
@require_POST
def rate(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    form = RatingForm(request.POST)
    key, new_token = ensure_reader(request)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose from 1 to 5 stars."), field="stars")
        page = rate_page(
            page=page,
            rater=commenter_for(key),
            stars=form.cleaned_data["stars"],
            ip_hash=ip_hash(request),
        )
    except RejoinderError as exc:
        return refuse(request, exc, "widget/message.html", {})
    if wants_fragment(request):
        response: HttpResponse = HttpResponse(
            render_to_string(
                "widget/rating.html",
                {"page": page, "my_stars": form.cleaned_data["stars"], "rated": True},
                request=request,
            )
        )
    else:
        response = HttpResponseRedirect(
            reverse("widget:permalink_page", kwargs={"page_id": page.pk}) + "#rating"
        )
    remember_reader(response, new_token)
    return response


@require_GET
def page_redirect(request: HttpRequest, page_id: int) -> HttpResponse:
    """Show a page's discussion: our article's page, else its own page here (the one the embed's
    `<noscript>` link opens, where everything works without JavaScript)."""
    page = get_object_or_404(Page.objects.select_related("site"), pk=page_id)
    if Article.objects.filter(page=page).exists():
        return HttpResponseRedirect(
            page.get_absolute_url() + request.get_full_path()[len(request.path) :]
        )
    return render(
        request, "widget/discussion_page.html", {"page": page, "box": render_box(request, page)}
    )


@embeddable(site_of_comment)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Show the report form for a comment (GET), or flag it for the moderators (POST)."""
    comment = get_object_or_404(Comment.objects.select_related("page__site"), pk=comment_id)
    if request.method == "GET" and request.GET.get("sent"):
        return render(request, "widget/report.html", {"comment": comment, "sent": True})
    form = ReportForm(request.POST or None)
    context = {"comment": comment, "form": form}
    try:
        if comment.status != CommentStatus.PUBLISHED:
            raise NotFound(_("That comment does not exist or is no longer shown."))
        if request.method == "GET":
            return render(request, "widget/report.html", context)
        if not form.is_valid():
            raise _first_form_error(form)
        key, new_token = ensure_reader(request)
        flag_comment(
            comment_id=comment.pk,
            reader=commenter_for(key, just_issued=new_token is not None),
            ip_hash=ip_hash(request),
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except RejoinderError as exc:
        return refuse(request, exc, "widget/report.html", context)
    if wants_fragment(request):
        response = HttpResponse(render_to_string("widget/report_done.html", request=request))
    else:
        response = HttpResponseRedirect(
            reverse("widget:report", kwargs={"comment_id": comment.pk}) + "?sent=1"
        )
    remember_reader(response, new_token)
    return response
