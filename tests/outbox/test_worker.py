"""The worker loop: registered steps, the mail step last, graceful stop, the CLI."""

from __future__ import annotations

import threading

import pytest
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.__main__ import main
from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.outbox.models import OutboxMail
from rejoinder.outbox.worker import (
    MAIL_STEP,
    StepsFailed,
    register_step,
    run_round,
    run_worker,
    step_names,
)

pytestmark = pytest.mark.django_db


def test_registered_steps_run_in_order_and_the_mail_step_last(smtp: SmtpSink) -> None:
    calls: list[str] = []

    def fanout() -> int:
        calls.append("fanout")
        # Mail queued by a step goes out in the same round.
        enqueue_mail(to="ana@example.org", subject="From the fan-out", text="x")
        return 1

    register_step("fanout", fanout)
    register_step("digest", lambda: calls.append("digest") or 0)
    assert step_names()[-3:] == ["fanout", "digest", MAIL_STEP]
    assert run_round() == 2
    assert calls == ["fanout", "digest"]
    assert smtp.subjects() == {"From the fan-out": 1}


def test_registering_a_name_again_replaces_the_step_and_the_mail_step_is_reserved() -> None:
    register_step("fanout", lambda: 0)
    register_step("fanout", lambda: 0)
    assert step_names().count("fanout") == 1
    with pytest.raises(ValueError, match="always run last"):
        register_step(MAIL_STEP, lambda: 0)


def test_a_failing_step_does_not_stop_the_others(smtp: SmtpSink) -> None:
    def broken() -> int:
        raise RuntimeError("boom")

    register_step("broken", broken)
    enqueue_mail(to="ana@example.org", subject="Still sent", text="x")
    assert run_round() == 1
    assert smtp.subjects() == {"Still sent": 1}
    with pytest.raises(RuntimeError, match="boom"):
        run_round(raise_errors=True)


def test_worker_once_still_sends_mail_when_a_step_fails_then_reports_the_failure(
    smtp: SmtpSink,
) -> None:
    def broken() -> int:
        raise RuntimeError("boom")

    register_step("broken", broken)
    enqueue_mail(to="ana@example.org", subject="Still sent", text="x")
    with pytest.raises(StepsFailed, match="broken"):
        run_worker(once=True)
    assert smtp.subjects() == {"Still sent": 1}
    assert main(["worker", "--once"]) == 1


def test_a_step_with_an_interval_runs_at_most_once_per_interval() -> None:
    runs: list[int] = []
    register_step("hourly", lambda: runs.append(1) or 0, every_seconds=3600)
    run_round()
    run_round()
    assert runs == [1]


def test_run_worker_once_drains_everything_due_then_returns(smtp: SmtpSink) -> None:
    for i in range(120):
        enqueue_mail(to=f"r{i}@example.org", subject=f"Mail {i}", text="x")
    assert run_worker(once=True) == 120
    assert len(smtp.subjects()) == 120
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {"sent"}


def test_the_worker_stops_when_asked_and_sleeps_while_idle(smtp: SmtpSink) -> None:
    stop = threading.Event()
    rounds: list[int] = []

    def counting() -> int:
        rounds.append(1)
        if len(rounds) == 3:
            stop.set()
        return 0

    register_step("counting", counting)
    assert run_worker(poll_seconds=0.01, stop_event=stop) == 0
    assert len(rounds) == 3


def test_rejoinder_worker_once_drains_the_outbox(
    smtp: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(3):
        enqueue_mail(to=f"r{i}@example.org", subject=f"Mail {i}", text="x")
    assert main(["worker", "--once"]) == 0
    assert smtp.subjects() == {f"Mail {i}": 1 for i in range(3)}
    assert "3 items handled" in capsys.readouterr().out
