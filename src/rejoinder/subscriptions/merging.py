"""A guest's subscriptions joining the account they signed in to (see accounts/merging.py)."""

from rejoinder.comments.models import Commenter
from rejoinder.subscriptions.models import ConfirmedAddress, Subscription


def merge_subscriptions(guest: Commenter, into: Commenter) -> None:
    """Hand the guest's subscriptions and confirmed addresses to the account's reader key."""
    Subscription.objects.filter(reader_key=guest.reader_key).update(reader_key=into.reader_key)
    known = ConfirmedAddress.objects.filter(reader_key=into.reader_key).values_list(
        "site_id", "email"
    )
    for site_id, email in list(known):
        ConfirmedAddress.objects.filter(
            reader_key=guest.reader_key, site_id=site_id, email=email
        ).delete()
    ConfirmedAddress.objects.filter(reader_key=guest.reader_key).update(reader_key=into.reader_key)
