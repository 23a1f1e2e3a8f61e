"""Run calls at the same moment in threads, each on its own database connection.

Works on PostgreSQL and on the SQLite file the tests use, where the connections share the
database as production processes do. Tests using it need `django_db(transaction=True)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def at_once(calls: Sequence[Callable[[], object]], timeout: float = 60) -> list[object]:
    """Start every call together; return what each returned or raised, in finishing order."""
    start = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            outcomes.append(call())
        except BaseException as error:  # returned to the test, not lost in the thread
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes
