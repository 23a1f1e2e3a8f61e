"""The forms of the reader's data page and of the admin's requests by address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rejoinder.privacy.models import CommentsChoice


class ErasureForm(forms.Form):
    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=CommentsChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to your comments.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class AddressForm(forms.Form):
    email = forms.CharField(label=_("Email address"), max_length=254)


class AddressErasureForm(AddressForm, ErasureForm):
    pass
