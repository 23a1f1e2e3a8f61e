"""A guest's bans and flags joining the account they signed in to (see accounts/merging.py).

A ban follows the person: a banned guest who signs in stays banned.
"""

from rejoinder.comments.models import Commenter
from rejoinder.moderation.models import Ban, Flag


def merge_moderation(guest: Commenter, into: Commenter) -> None:
    Ban.objects.filter(commenter=guest).update(commenter=into)
    flagged = Flag.objects.filter(reader=into).values_list("comment_id", flat=True)
    Flag.objects.filter(reader=guest, comment_id__in=list(flagged)).delete()
    Flag.objects.filter(reader=guest).update(reader=into)
