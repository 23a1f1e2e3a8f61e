"""Prompts and revisions in the article admin, which publishes through save_article."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone
from tests.inline.corpus import BUDGET, edit

from rejoinder.inline.models import ArticleRevision, FoundBy, Prompt
from rejoinder.inline.revisions import page_text
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article, Page
from rejoinder.pages.publishing import save_article


def change_url(article: Article) -> str:
    return f"/admin/pages/article/{article.pk}/change/"


def form_data(article: Article, **changes: Any) -> dict[str, Any]:
    published = timezone.localtime(article.published_at)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "author_name": article.author_name,
        "body": article.body,
        "source_line": article.source_line,
        "figure_url": article.figure_url,
        "figure_alt": "",
        "figure_caption": "",
        "figure_credit": "",
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "is_published": "on",
        "prompts-TOTAL_FORMS": "0",
        "prompts-INITIAL_FORMS": "0",
        "prompts-MIN_NUM_FORMS": "0",
        "prompts-MAX_NUM_FORMS": "1000",
        "revisions-TOTAL_FORMS": str(article.page.revisions.count()),
        "revisions-INITIAL_FORMS": str(article.page.revisions.count()),
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "0",
    }
    for number, revision in enumerate(article.page.revisions.order_by("-number")):
        data[f"revisions-{number}-id"] = str(revision.pk)
        data[f"revisions-{number}-page"] = str(article.page_id)
    data.update(changes)
    return data


def new_prompt(question: str, paragraph: int, index: int = 0) -> dict[str, str]:
    return {
        "prompts-TOTAL_FORMS": str(index + 1),
        f"prompts-{index}-question": question,
        f"prompts-{index}-paragraph": str(paragraph),
        f"prompts-{index}-is_open": "on",
        f"prompts-{index}-page": "",
        f"prompts-{index}-id": "",
    }


def test_the_change_page_offers_paragraphs_and_lists_revisions(
    admin_client: Client, article: Article
) -> None:
    article.body = BUDGET.replace("The city council", "The <city> council", 1)
    save_article(article)
    html = admin_client.get(change_url(article)).content.decode()
    assert "questions for readers" in html.lower()
    # The paragraph's first 80 characters, escaped.
    assert (
        ">1. The &lt;city&gt; council of Harlow Bridge voted on Tuesday to delay its budget for the…<"
        in html
    )
    assert "<city>" not in html
    assert "revisions of the text" in html.lower()
    assert html.count('class="field-number"') == 2


def test_adding_a_prompt_pins_it_to_the_chosen_paragraph(
    admin_client: Client, article: Article
) -> None:
    response = admin_client.post(
        change_url(article), form_data(article, **new_prompt("Was it right?", 1))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    prompt = Prompt.objects.get()
    text = extract_text(Article.objects.get(pk=article.pk).body_html)
    assert prompt.page_id == article.page_id
    assert (prompt.start, prompt.end, prompt.block_index) == (
        text.blocks[1].start,
        text.blocks[1].end,
        1,
    )
    assert prompt.exact.startswith("The delay means")
    assert prompt.status == FoundBy.CREATED


def test_a_prompt_added_with_an_edit_follows_its_paragraph_into_the_new_text(
    admin_client: Client, article: Article
) -> None:
    version = Page.objects.get(pk=article.page_id).version
    body = "A new first paragraph.\n\n" + edit(BUDGET, ("until at least March", "until May"))
    response = admin_client.post(
        change_url(article), form_data(article, body=body, **new_prompt("Why May?", 1))
    )
    assert response.status_code == 302
    prompt = Prompt.objects.get()
    assert prompt.block_index == 2
    text = page_text(article.page) or ""
    assert text[prompt.start : prompt.end].startswith("The delay means")  # type: ignore[misc]
    assert "until May" in prompt.exact
    assert ArticleRevision.objects.filter(page=article.page).count() == 2
    assert Page.objects.get(pk=article.page_id).version > version


def test_a_new_article_gets_no_prompt_forms_until_it_is_published(admin_client: Client) -> None:
    html = admin_client.get("/admin/pages/article/add/").content.decode()
    assert 'name="prompts-TOTAL_FORMS" value="0"' in html
    assert 'name="prompts-MAX_NUM_FORMS" value="0"' in html


def test_a_new_article_published_from_the_admin_gets_revision_one(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/pages/article/add/",
        {
            "headline": "Fresh",
            "slug": "fresh",
            "author_name": "Ruth",
            "body": "First words.\n\nSecond words.",
            "published_at_0": "2026-11-30",
            "published_at_1": "08:00:00",
            "is_published": "on",
            "prompts-TOTAL_FORMS": "0",
            "prompts-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="fresh")
    assert page_text(article.page) == "First words.\n\nSecond words."


def test_moving_and_closing_an_existing_prompt(admin_client: Client, article: Article) -> None:
    admin_client.post(change_url(article), form_data(article, **new_prompt("Was it right?", 1)))
    prompt = Prompt.objects.get()
    html = admin_client.get(change_url(article)).content.decode()
    assert '<option value="1" selected>2. The delay means' in html
    data = form_data(
        article,
        **{
            "prompts-TOTAL_FORMS": "1",
            "prompts-INITIAL_FORMS": "1",
            "prompts-0-id": str(prompt.pk),
            "prompts-0-page": str(article.page_id),
            "prompts-0-question": "Was it right, then?",
            "prompts-0-paragraph": "3",
        },
    )
    assert admin_client.post(change_url(article), data).status_code == 302
    prompt.refresh_from_db()
    assert prompt.question == "Was it right, then?"
    assert prompt.block_index == 3
    assert prompt.exact.startswith("The car park, which opened")
    assert not prompt.is_open
