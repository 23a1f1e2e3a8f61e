"""Fixtures of the inline-feedback tests, shared with the API tests."""

from tests.inline.conftest import article, comment_on

__all__ = ["article", "comment_on"]
