"""Guest identity: a random reader key, issued and signed by the server.

The browser keeps the signed token (a cookie on our pages, or the API's `reader` field); only
the server can mint one, so nobody can claim another reader's comments by guessing
(docs/security.md, rule 8).
"""

import secrets

from django.core import signing

from rejoinder.comments.models import Commenter

_signer = signing.Signer(salt="rejoinder.reader")


def issue_reader_token() -> str:
    """Mint a new signed reader token for a browser that has none."""
    return _signer.sign(secrets.token_urlsafe(24))


def reader_key_from_token(token: str | None) -> str | None:
    """Return the reader key inside a signed token, or None if absent or forged."""
    if not token or len(token) > 200:
        return None
    try:
        return _signer.unsign(token)
    except signing.BadSignature:
        return None


def find_commenter(reader_key: str | None) -> Commenter | None:
    """Return the commenter behind a reader key, if that reader ever wrote, voted or rated."""
    if not reader_key:
        return None
    return Commenter.objects.filter(reader_key=reader_key).first()


def commenter_for(reader_key: str, *, just_issued: bool = False) -> Commenter:
    """Return the commenter for a reader key, creating it on the reader's first write.

    A key issued by this very request has no row yet: the commenter is returned unsaved, and
    `post_comment` inserts it with its details in the same write.
    """
    if just_issued:
        return Commenter(reader_key=reader_key)
    commenter, _ = Commenter.objects.get_or_create(reader_key=reader_key)
    return commenter


def is_signed_in(commenter: Commenter | None) -> bool:
    """Tell whether the commenter is a signed-in reader's.

    An account (the accounts app, built on this one) owns its commenter through the reverse
    relation `account`; a guest's commenter has none. Only a live session resolves to an
    account's reader key, so a request acting as that commenter is signed in.
    """
    if commenter is None or commenter.pk is None:
        return False
    return hasattr(commenter, "account")
