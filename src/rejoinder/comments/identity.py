"""Guest identity: a random reader key, issued and signed by the server.

The browser keeps the signed token (a cookie on our pages, or the API's `reader` field); only
the server can mint one, so nobody can claim another reader's comments by guessing
(docs/security.md, rule 8).
"""

import secrets

from django.core import signing

from rejoinder.comments.models import Commenter

_signer = signing.Signer(salt="rejoinder.reader")
# The reader keys of signed-in readers' commenters (accounts/signing_in.py) begin with this.
ACCOUNT_KEY_PREFIX = "a."


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
    """Tell whether the commenter is a signed-in reader's (an account's, see accounts/).

    An account's commenter has a key beginning with ACCOUNT_KEY_PREFIX, which no guest token
    carries (guest keys are URL-safe base64, without a "."), so only a live session reaches
    it: a request acting as that commenter is signed in. No query is needed to tell.
    """
    return commenter is not None and commenter.reader_key.startswith(ACCOUNT_KEY_PREFIX)
