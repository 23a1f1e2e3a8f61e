"""Two workers in threads, each with its own database connection, drain one outbox.

Needs a database that several connections share the way production does: PostgreSQL, or a
SQLite file (REJOINDER_TEST_SQLITE_NAME=/tmp/t.sqlite3). The default in-memory SQLite test
database is one shared cache with table locks, which refuse instead of queueing; on SQLite
test_worker_processes.py runs the same race with two processes on a file.
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
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: see the module docstring and test_worker_processes.py")
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
