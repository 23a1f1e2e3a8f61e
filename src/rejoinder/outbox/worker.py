"""The background worker behind `rejoinder worker`: registered steps, then the mail.

Apps add work without the outbox importing them: in `AppConfig.ready()` they call
`register_step("fanout", fn)`, where `fn()` does one bounded chunk of work and returns how
many items it handled. Each round runs every registered step in registration order, then
sends due mail (`send_due`) last, so mail queued by a step in this round goes out in it.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from types import FrameType

from django.db import connections

from rejoinder.outbox.sending import send_due

log = logging.getLogger(__name__)

Step = Callable[[], int]
MAIL_STEP = "mail"


@dataclass
class _Registered:
    fn: Step
    every_seconds: float
    last_run: float | None = None


_steps: dict[str, _Registered] = {}


def register_step(name: str, fn: Step, *, every_seconds: float = 0) -> None:
    """Run `fn()` in every worker round (at most once per `every_seconds` when given).

    `fn` returns the number of items it handled; 0 lets an idle worker sleep. Registering
    a name again replaces the step, so `ready()` running twice is harmless.
    """
    if name == MAIL_STEP:
        raise ValueError(f"{MAIL_STEP!r} is the outbox's own step, always run last")
    _steps[name] = _Registered(fn, every_seconds)


def step_names() -> list[str]:
    """Return the steps in the order a round runs them."""
    return [*_steps, MAIL_STEP]


class StepsFailed(RuntimeError):
    """`rejoinder worker --once` finished, but some steps raised (they were logged)."""


def run_round(
    *,
    should_stop: Callable[[], bool] = lambda: False,
    raise_errors: bool = False,
    failed: set[str] | None = None,
) -> int:
    """Run every due step once, then send one batch of mail; return the items handled.

    A failing step is logged, added to `failed`, and skipped: the others, mail included,
    still run. With `raise_errors` its exception propagates instead.
    """
    done = 0
    now = time.monotonic()
    for name, step in list(_steps.items()):
        if should_stop():
            return done
        if step.last_run is not None and now - step.last_run < step.every_seconds:
            continue
        step.last_run = now
        done += _run_step(name, step.fn, raise_errors, failed)
    if not should_stop():
        done += _run_step(
            MAIL_STEP, partial(send_due, should_stop=should_stop), raise_errors, failed
        )
    return done


def _run_step(name: str, fn: Step, raise_errors: bool, failed: set[str] | None) -> int:
    try:
        return int(fn())
    except Exception:
        if raise_errors:
            raise
        log.exception("Worker step %r failed; the next round tries again", name)
        if failed is not None:
            failed.add(name)
        return 0


def run_worker(
    *, once: bool = False, poll_seconds: float = 1.0, stop_event: threading.Event | None = None
) -> int:
    """Run worker rounds until stopped; return the number of items handled.

    Sleeps `poll_seconds` after a round that found nothing to do. With `once`, stops after
    the first round that found nothing (everything due is drained), then raises StepsFailed
    if a step failed on the way (for cron and scripts). SIGTERM and SIGINT (when run in the main thread) and `stop_event` stop it
    gracefully: the mail being sent is finished, the rest of its batch handed back.
    """
    stop = stop_event or threading.Event()
    restore = _handle_signals(stop)
    total = 0
    failed: set[str] = set()
    try:
        while not stop.is_set():
            _refresh_connections()
            done = run_round(should_stop=stop.is_set, failed=failed)
            total += done
            if done:
                continue
            if once:
                break
            stop.wait(poll_seconds)
    finally:
        restore()
        _refresh_connections()
    if once and failed:
        raise StepsFailed(f"worker steps failed (see the log): {', '.join(sorted(failed))}")
    return total


def _refresh_connections() -> None:
    """Drop connections that broke or outlived CONN_MAX_AGE, as Django does per request.

    A connection inside a transaction (a test's) is left alone: closing it would end it.
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def _handle_signals(stop: threading.Event) -> Callable[[], None]:
    """Make SIGTERM and SIGINT set `stop`; return a function restoring the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():  # a second signal: stop now, the lease covers the mail in flight
            raise SystemExit(128 + signum)
        log.warning("Worker stopping after the current mail (signal %d)", signum)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
