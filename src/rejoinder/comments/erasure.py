"""Erasing a reader from the discussions, at their request or their publisher's.

Their comments either go (each the way a deleted comment goes: `posting.remove_comment`, a
"[removed]" placeholder where others replied) or stay under a "[deleted]" name; either way
nothing on them names the reader any more. Their votes lose their link to the reader: the
rows go, the tallies they were counted in stay. The Commenter row stays for the comments
that remain, with nothing personal left on it and a reader key no token can carry.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment, Commenter, CommentStatus, Vote
from rejoinder.comments.posting import remove_comment
from rejoinder.pages.localization import speaking_as
from rejoinder.pages.models import Page, Site

# Reader keys are 32 URL-safe characters (identity.issue_reader_token); this prefix and its
# random tail can never be the inside of a signed token, so an erased row is nobody's.
ERASED_KEY_PREFIX = "erased:"


@dataclass
class AuthorErased:
    """What erasing one reader did to the discussions."""

    comments_removed: int = 0
    placeholders: int = 0
    comments_kept: int = 0
    votes: int = 0
    replies_renamed: int = 0
    page_ids: set[int] = field(default_factory=set)


def deleted_name(site: Site) -> str:
    """Return the name an erased reader's kept comments show, in the site's language."""
    with speaking_as(site):
        return _("[deleted]")


def erase_author(commenter: Commenter, *, keep_comments: bool) -> AuthorErased:
    """Erase `commenter` from every discussion; their comments go or stay without a name.

    Replies by others stay where they are: a removed comment with replies is kept as the same
    placeholder a deletion leaves (and announced as a deletion is). Every page touched has its
    version bumped: caches, ETags and feeds follow it. Renamed comments are not announced one
    by one (a reader may have thousands); the live updates reload the pages instead
    (live/recording.py, `forget_pages`). Call inside a transaction.
    """
    done = AuthorErased()
    own = Comment.objects.filter(author=commenter)
    # Replies (others' and the reader's own) name whom they answer: that name goes first (a
    # removed comment's replies lose their `reply_to` link, not the copied name).
    renamed = list(Comment.objects.filter(reply_to__author=commenter).select_related("page__site"))
    for reply in renamed:
        reply.reply_to_name = deleted_name(reply.page.site)
        reply.save(update_fields=["reply_to_name"])
    done.replies_renamed = len(renamed)
    done.page_ids.update(c.page_id for c in renamed)
    done.page_ids.update(own.values_list("page_id", flat=True).distinct())
    if not keep_comments:
        # Deepest first: a reply of the reader's own goes before the comment it answers, so
        # that comment becomes a placeholder only when someone else's reply hangs under it.
        for comment in own.select_related("page").order_by("-depth", "-created_at", "-pk"):
            if remove_comment(comment) is None:
                done.comments_removed += 1
            else:
                done.placeholders += 1
    if keep_comments:
        done.comments_kept = own.exclude(status=CommentStatus.REMOVED).count()
    for site in Site.objects.filter(pages__comments__author=commenter).distinct():
        own.filter(page__site=site).update(
            author_name=deleted_name(site), author_website="", ip_hash="", spam_signals=None
        )
    done.votes, _deleted = Vote.objects.filter(voter=commenter).delete()
    commenter.display_name = commenter.email = commenter.website = ""
    commenter.reader_key = ERASED_KEY_PREFIX + secrets.token_hex(16)
    commenter.user = None
    commenter.save(update_fields=["display_name", "email", "website", "reader_key", "user"])
    for page in Page.objects.filter(pk__in=done.page_ids).order_by("pk"):
        page.bump()
    return done
