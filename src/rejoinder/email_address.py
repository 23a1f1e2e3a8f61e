"""The one rule for email addresses, wherever one is accepted: comments, subscriptions, mail.

An address must be a bare `local@domain` (no display name, no list), on one line, and fit the
limits of RFC 5321 section 4.5.3.1 that mail servers enforce: a local part of at most 64
octets, a domain of at most 255 and a whole path of at most 254 (256 less the angle brackets).
An address a server would refuse is refused here, with a message that says which limit.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from rejoinder.errors import InvalidInput

MAX_LOCAL_PART = 64
MAX_DOMAIN = 255
MAX_ADDRESS = 254


def clean_email_address(value: object, *, field: str = "email") -> str:
    """Return `value` as a bare address with its domain in lower-case ASCII (IDNA).

    Raise InvalidInput naming `field` when it is not one address, holds a line break or another
    control character, or exceeds a length limit of RFC 5321.
    """
    if not isinstance(value, str):
        raise InvalidInput(_("The email address must be text."), field=field)
    address = value.strip()
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs"} for c in address):
        raise InvalidInput(
            _("The email address must not contain line breaks or control characters."),
            field=field,
        )
    if len(address) > MAX_ADDRESS:
        raise InvalidInput(
            _("The email address is %(n)d characters long; the limit is %(limit)d.")
            % {"n": len(address), "limit": MAX_ADDRESS},
            field=field,
        )
    try:
        validate_email(address)
        local, _at, domain = address.rpartition("@")
        # An ASCII envelope and header everywhere: internationalised domains as punycode.
        domain = domain.encode("idna").decode("ascii").lower()
    except (ValidationError, UnicodeError):
        raise InvalidInput(_("That email address is not valid."), field=field) from None
    local_octets = len(local.encode("utf-8"))
    if local_octets > MAX_LOCAL_PART:
        raise InvalidInput(
            _(
                "The part of the email address before the @ is %(n)d characters long; "
                "the limit is %(limit)d."
            )
            % {"n": local_octets, "limit": MAX_LOCAL_PART},
            field=field,
        )
    if len(domain) > MAX_DOMAIN or local_octets + 1 + len(domain) > MAX_ADDRESS:
        raise InvalidInput(
            _("The email address is too long for mail servers (%(limit)d characters at most).")
            % {"limit": MAX_ADDRESS},
            field=field,
        )
    return f"{local}@{domain}"
