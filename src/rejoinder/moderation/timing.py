"""How long a reader took between seeing the comment form and posting it.

The form carries a signed stamp of when it was rendered; a bot that posts at once, or
replays a stamp it did not get from us, shows in `seconds_since`.
"""

from __future__ import annotations

import time

from django.core import signing

_signer = signing.Signer(salt="rejoinder.form-stamp")

# Older stamps say nothing useful (a tab left open for days).
MAX_AGE_SECONDS = 7 * 24 * 3600


def issue_form_stamp(now: float | None = None) -> str:
    """Return a signed stamp of the current time, for the form's hidden `rendered_at` field."""
    millis = int((time.time() if now is None else now) * 1000)
    return _signer.sign(str(millis))


def seconds_since(stamp: str, now: float | None = None) -> float | None:
    """Return the seconds since a stamp from `issue_form_stamp`; None when absent, forged or stale."""
    if not stamp or len(stamp) > 100:
        return None
    try:
        millis = int(_signer.unsign(stamp))
    except (signing.BadSignature, ValueError):
        return None
    elapsed = (time.time() if now is None else now) - millis / 1000
    if elapsed < 0 or elapsed > MAX_AGE_SECONDS:
        return None
    return elapsed
