"""Fixtures of the outbox tests: a real SMTP server, and a clean worker step registry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rejoinder.outbox import worker


@pytest.fixture(autouse=True)
def _own_worker_steps() -> Iterator[None]:
    """Let a test register worker steps without leaking them into the next test."""
    saved = dict(worker._steps)
    yield
    worker._steps.clear()
    worker._steps.update(saved)
