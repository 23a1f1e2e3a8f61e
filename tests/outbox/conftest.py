"""Fixtures of the outbox tests: a real SMTP server, and a clean worker step registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.outbox import worker


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpSink]:
    """A running SMTP sink that REJOINDER_EMAIL_URL points at."""
    sink = SmtpSink()
    sink.start()
    settings.REJOINDER = {**settings.REJOINDER, "EMAIL_URL": sink.url}
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(autouse=True)
def _own_worker_steps() -> Iterator[None]:
    """Let a test register worker steps without leaking them into the next test."""
    saved = dict(worker._steps)
    yield
    worker._steps.clear()
    worker._steps.update(saved)
