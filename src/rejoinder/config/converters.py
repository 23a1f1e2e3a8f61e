"""Path converters: an id in a URL is bounded, so that no lookup can overflow the database.

Django's `int` converter takes any number of digits; 2**70 in a path reached the database
driver through foreign-key lookups and failed there with OverflowError (a 500). Eighteen
digits always fit the 64-bit primary keys; a longer id cannot exist and is simply not found.
"""


class IdConverter:
    """A positive id of at most 18 digits."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
