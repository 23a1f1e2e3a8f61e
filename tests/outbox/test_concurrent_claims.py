"""Two workers in threads, each with its own database connection, drain one outbox.

Runs on PostgreSQL and on the SQLite file the tests use (tests/settings.py), where several
connections share the database the way production processes do.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.outbox.models import OutboxMail
from rejoinder.outbox.sending import send_due


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_never_send_the_same_mail(smtp: SmtpSink) -> None:
    n = 60
    for i in range(n):
        enqueue_mail(to=f"r{i}@example.org", subject=f"Mail {i}", text="x")
    smtp.delay = 0.005  # keep both workers busy at the same time
    start = threading.Barrier(2)
    handled: list[int] = []
    errors: list[BaseException] = []

    def drain() -> None:
        try:
            start.wait()
            total = 0
            while done := send_due(limit=5):
                total += done
            handled.append(total)
        except BaseException as error:  # reported by the test below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sum(handled) == n
    assert all(h > 0 for h in handled), handled
    assert smtp.subjects() == {f"Mail {i}": 1 for i in range(n)}
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {"sent"}
