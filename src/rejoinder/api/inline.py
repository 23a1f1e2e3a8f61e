"""Inline feedback: highlighted passages, the author's questions, passages as first seen."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Query, Router, Schema

from rejoinder.api.comments import CONDITIONAL, ERRORS
from rejoinder.api.schemas import Id, OriginalPassageOut, PassagesOut, PromptsOut
from rejoinder.api.serialize import original_passage_dict, passage_view_dict, prompt_dict
from rejoinder.inline.models import ArticleRevision
from rejoinder.inline.reading import original_passage, passages, prompts_for
from rejoinder.pages.lookup import find_page
from rejoinder.pages.models import Page
from rejoinder.web.conditional import conditional_answer, revalidate

router = Router(tags=["inline feedback"])
VERSIONED: dict[int, Any] = {304: None, **ERRORS}


class PageQuery(Schema):
    uri: str
    site: Id | None = None


def _versioned(
    request: HttpRequest,
    response: HttpResponse,
    page: Page,
    kind: str,
    build: Callable[[], dict[str, Any]],
) -> HttpResponse | dict[str, Any]:
    """Answer with the page version's ETag, building the body only when the client lacks it."""
    etag = f'"{kind}-{page.pk}-{page.version}"'
    unchanged = conditional_answer(request, etag)
    if unchanged is not None:
        return unchanged
    revalidate(response, etag)
    return build()


@router.get(
    "/passages",
    response={200: PassagesOut, **VERSIONED},
    summary="Passages to highlight",
    openapi_extra=CONDITIONAL,
)
def get_passages(
    request: HttpRequest, q: Query[PageQuery], response: HttpResponse
) -> HttpResponse | dict[str, Any]:
    """Return the page's passages that published comments are about, in text order.

    Offsets are in the current revision's plain text; on a page whose text this server does not
    know, they are null and `exact` with its `prefix`/`suffix` locate the passage. Orphaned
    passages (no longer found after an edit) are left out.
    """
    page = find_page(q.site, q.uri)

    def build() -> dict[str, Any]:
        revision = (
            ArticleRevision.objects.filter(page=page)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return {"revision": revision, "passages": [passage_view_dict(p) for p in passages(page)]}

    return _versioned(request, response, page, "passages", build)


@router.get(
    "/prompts",
    response={200: PromptsOut, **VERSIONED},
    summary="The author's questions",
    openapi_extra=CONDITIONAL,
)
def get_prompts(
    request: HttpRequest, q: Query[PageQuery], response: HttpResponse
) -> HttpResponse | dict[str, Any]:
    """Return the open questions the author pinned to paragraphs, with their answer counts."""
    page = find_page(q.site, q.uri)
    return _versioned(
        request,
        response,
        page,
        "prompts",
        lambda: {"prompts": [prompt_dict(p) for p in prompts_for(page)]},
    )


@router.get(
    "/comments/{comment_id}/passage",
    response={200: OriginalPassageOut, **ERRORS},
    summary="A comment's passage as its writer saw it",
)
def get_original_passage(
    request: HttpRequest, comment_id: Id, response: HttpResponse
) -> dict[str, Any]:
    """Return the paragraph(s) holding the comment's passage in the revision it was made on.

    Use it to show "the text as the commenter saw it" when `passage.changed` or
    `passage.orphaned` is true. 404 for comments without a passage in a known revision.
    """
    original = original_passage(comment_id)
    # Revisions never change, but the comment may be removed: always revalidate.
    patch_cache_control(response, no_cache=True)
    return original_passage_dict(original)
