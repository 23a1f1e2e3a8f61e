"""The article admin gains the author's prompts and the list of revisions.

Prompts and revisions belong to the article's Page, not to the Article the admin edits, so
their inlines are built for Page and handed `article.page`. `pages` knows nothing of this
app: the Article admin is re-registered here with the inlines added.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rejoinder.inline import anchoring
from rejoinder.inline.models import ArticleRevision, FoundBy, Prompt
from rejoinder.inline.revisions import pin_prompt, place_prompt
from rejoinder.inline.text import ArticleText, extract_text
from rejoinder.pages.admin import ArticleAdmin
from rejoinder.pages.models import Article, Page

PARAGRAPH_LABEL_CHARS = 80


class _PageFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """An inline formset over a Page's rows, constructed with the Article being edited."""

    def __init__(self, data: Any = None, files: Any = None, instance: Any = None, **kwargs: Any):
        self.article: Article | None = instance if isinstance(instance, Article) else None
        page = self.article.page if self.article is not None and self.article.page_id else None
        # What the editor was offered: the text as published before this save.
        self.offered = extract_text(self.article.body_html) if self.article else ArticleText("", ())
        super().__init__(data, files, instance=page, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "formset": self}

    def save(self, commit: bool = True) -> list[Any]:
        saved = super().save(commit)
        if commit and (saved or self.deleted_objects) and self.instance.pk:
            # Prompts show in the rendered article, which is cached by the page's version.
            self.instance.bump()
        return saved


class _PageRowForm(forms.ModelForm):  # type: ignore[type-arg]
    """A row of a `_PageFormSet`, which it keeps for what the editor was offered."""

    def __init__(self, *args: Any, formset: _PageFormSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formset = formset


class _PageInline(admin.TabularInline):  # type: ignore[type-arg]
    formset = _PageFormSet
    form = _PageRowForm

    def __init__(self, parent_model: type, admin_site: admin.AdminSite) -> None:
        super().__init__(parent_model, admin_site)
        # The rows' foreign key points at the article's Page, which the formset is handed.
        self.parent_model = Page


class PromptForm(_PageRowForm):
    paragraph = forms.TypedChoiceField(
        label=_("paragraph"),
        coerce=int,
        help_text=_("The question is shown at this paragraph and follows it through edits."),
    )

    class Meta:
        model = Prompt
        fields = ["question", "paragraph", "is_open"]

    def __init__(self, *args: Any, formset: _PageFormSet, **kwargs: Any) -> None:
        super().__init__(*args, formset=formset, **kwargs)
        offered = formset.offered
        paragraph = self.fields["paragraph"]
        assert isinstance(paragraph, forms.TypedChoiceField)
        paragraph.choices = [("", "—")] + [
            (block.index, _paragraph_label(offered, block.index)) for block in offered.blocks
        ]
        prompt = self.instance
        if prompt.pk is not None and prompt.start is not None:
            block = offered.block_at(prompt.start)
            self.initial.setdefault("paragraph", block.index if block else "")

    def save(self, commit: bool = True) -> Prompt:
        prompt: Prompt = super().save(commit=False)
        if prompt.pk is None or "paragraph" in self.changed_data:
            _pin_to_offered(prompt, self.formset, self.cleaned_data["paragraph"])
        if commit:
            prompt.save()
        return prompt


def _paragraph_label(text: ArticleText, index: int) -> str:
    block = text.blocks[index]
    words = text.text[block.start : block.end]
    short = words if len(words) <= PARAGRAPH_LABEL_CHARS else words[:PARAGRAPH_LABEL_CHARS] + "…"
    return f"{index + 1}. {short}"


def _pin_to_offered(prompt: Prompt, formset: _PageFormSet, index: int) -> None:
    """Pin the prompt to the chosen paragraph, followed into the text this save published."""
    offered = formset.offered
    block = offered.blocks[index]
    current = extract_text(formset.article.body_html) if formset.article else offered
    if current.text == offered.text:
        pin_prompt(prompt, current, block)
    else:
        chosen = anchoring.quotable_span(offered.text, block.start, block.end)
        place_prompt(
            prompt,
            anchoring.reanchor(anchoring.make_anchor(offered.text, *chosen), current.text),
            current,
        )
        if prompt.is_orphaned:
            prompt.exact = offered.text[slice(*chosen)]
            return
    prompt.status = FoundBy.CREATED


class PromptInline(_PageInline):
    model = Prompt
    form = PromptForm
    fields = ["question", "paragraph", "is_open", "status"]
    readonly_fields = ["status"]
    extra = 1
    verbose_name = _("question for readers")
    verbose_name_plural = _("questions for readers (inline feedback prompts)")

    def get_max_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int | None:
        # Paragraphs exist once the article is published; save it first.
        return None if obj is not None and obj.page_id else 0

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if obj is not None and obj.page_id else 0


class ArticleRevisionInline(_PageInline):
    model = ArticleRevision
    fields = ["number", "created_at", "excerpt"]
    readonly_fields = ["number", "created_at", "excerpt"]
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-number"]
    verbose_name_plural = _("revisions of the text")

    @admin.display(description=_("text"))
    def excerpt(self, revision: ArticleRevision) -> str:
        return revision.text[:200] + ("…" if len(revision.text) > 200 else "")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ArticleWithFeedbackAdmin(ArticleAdmin):
    inlines = [PromptInline, ArticleRevisionInline]


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithFeedbackAdmin)
