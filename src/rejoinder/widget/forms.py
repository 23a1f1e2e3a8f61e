"""The discussion box's forms: they only parse; the domain functions validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rejoinder.inline.anchoring import DEFAULT_CONTEXT_CHARS, MAX_QUOTE_CHARS
from rejoinder.moderation.models import FlagReason

# A browser's context may differ from ours in whitespace; anything far beyond our own length is
# not a selection made on the page.
_MAX_CONTEXT_CHARS = DEFAULT_CONTEXT_CHARS * 8


class CommentForm(forms.Form):
    # The commenter's fields are only read here: `clean_comment_fields` checks them all at
    # once, so the reader learns every mistake in one answer. (Body length is measured there
    # too, after browsers' CRLF line breaks are normalised.)
    name = forms.CharField(label=_("Name"), required=False)
    email = forms.CharField(label=_("Email (optional, never shown)"), required=False)
    website = forms.CharField(label=_("Website (optional)"), required=False)
    body = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: *emphasis*, **bold**, [links](https://…), > quotes, `code`, lists."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    notify_replies = forms.BooleanField(required=False)
    # Spam evidence, not shown to people: a field only bots fill in, and when the form was made.
    homepage = forms.CharField(required=False, max_length=300)
    rendered_at = forms.CharField(required=False, max_length=100)
    # The passage an inline comment is about (W3C quote selector, position as a hint), or the
    # author's question it answers. Only parsed here; the inline domain validates the quote.
    passage_exact = forms.CharField(
        label=_("Quoted passage"), required=False, strip=False, max_length=MAX_QUOTE_CHARS
    )
    passage_prefix = forms.CharField(
        label=_("Quoted passage"), required=False, strip=False, max_length=_MAX_CONTEXT_CHARS
    )
    passage_suffix = forms.CharField(
        label=_("Quoted passage"), required=False, strip=False, max_length=_MAX_CONTEXT_CHARS
    )
    # Only parsed as numbers: whether they make a passage is the inline domain's to say.
    passage_start = forms.IntegerField(label=_("Quoted passage"), required=False)
    passage_end = forms.IntegerField(label=_("Quoted passage"), required=False)
    prompt = forms.IntegerField(label=_("Question"), required=False, min_value=1)

    PASSAGE_FIELDS = (
        "passage_exact",
        "passage_prefix",
        "passage_suffix",
        "passage_start",
        "passage_end",
        "prompt",
    )


class EditForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}))


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int, label=_("Your rating")
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at it?"),
        choices=FlagReason.choices,
    )
    note = forms.CharField(label=_("Anything to add? (optional)"), required=False, max_length=500)
