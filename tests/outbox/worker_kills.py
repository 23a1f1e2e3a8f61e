"""Kill `rejoinder worker` with SIGKILL in the middle of its batches, again and again.

Used by tests/outbox/test_worker_processes.py (a few kills) and scripts/worker_kills.py
(twenty, with the figures printed). Mail goes to a real SMTP server (SmtpSink, aiosmtpd) in
this process; each kill comes a random number of messages into a worker's life, a random
moment after the server took one, so that kills land before, during and after the worker
records what it sent. Then workers run until every mail is sent, and the report says what
arrived: every copy, and what a reader's mailbox (one per Message-ID) holds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.outbox.smtp_sink import SmtpSink

LEASE_SECONDS = 12  # the least outbox.E003 allows with a 1 s SMTP timeout
QUEUE = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"
django.setup()
from django.core.management import call_command
from django.db import transaction
from rejoinder.outbox.mailing import enqueue_mail
call_command("migrate", verbosity=0)
token, n = sys.argv[1], int(sys.argv[2])
with transaction.atomic():
    for i in range(n):
        enqueue_mail(to=f"r{i}@example.org", subject=f"{token} {i}", text=f"Comment {i}",
                     html=f"<p>Comment <b>{i}</b></p>")
"""
STATE = """
import json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"
django.setup()
from rejoinder.outbox.models import OutboxMail
rows = OutboxMail.objects.filter(subject__startswith=sys.argv[1] + " ")
print(json.dumps([
    {"id": m.message_id, "status": m.status, "resends": getattr(m, "resends", None),
     "attempts": m.attempts}
    for m in rows
]))
"""


@dataclass
class KillReport:
    mails: int
    kills: int
    seconds: float = 0.0
    transmissions: int = 0  # messages the SMTP server took, copies included
    in_mailbox: int = 0  # distinct Message-IDs of ours the server holds
    sent_twice: list[str] = field(default_factory=list)  # Message-IDs taken more than once
    copies: Counter[str] = field(default_factory=Counter)  # Message-ID → times taken
    copies_identical: bool = True  # every copy byte for byte its first one
    recorded_resends: dict[str, int] = field(default_factory=dict)  # Message-ID → resends
    statuses: Counter[str] = field(default_factory=Counter)
    expected_ids: set[str] = field(default_factory=set)
    mailbox_ids: set[str] = field(default_factory=set)

    def copies_explained(self) -> bool:
        """Tell whether every extra copy the server took is a resend the outbox recorded."""
        return all(n - 1 <= (self.recorded_resends.get(m) or 0) for m, n in self.copies.items())

    def summary(self) -> str:
        return (
            f"{self.kills} kills, {self.mails} mails in {self.seconds:.0f} s: "
            f"{self.in_mailbox} in the mailbox once each, {self.transmissions} transmissions, "
            f"{len(self.sent_twice)} sent more than once (every copy a recorded resend: "
            f"{self.copies_explained()}, "
            f"identical: {self.copies_identical}), resends recorded: "
            f"{sum(v or 0 for v in self.recorded_resends.values())}, statuses: "
            f"{dict(self.statuses)}"
        )


def worker_env(data_dir: Path, sink: SmtpSink, batch: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        REJOINDER_DATA_DIR=str(data_dir),
        REJOINDER_EMAIL_URL=f"smtp://127.0.0.1:{sink.port}?timeout=1",
        REJOINDER_EMAIL_LEASE_SECONDS=str(LEASE_SECONDS),
        REJOINDER_EMAIL_BATCH=str(batch),
        REJOINDER_LOG_LEVEL="ERROR",
    )
    return env


def _python(env: dict[str, str], script: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _ours(sink: SmtpSink, token: str) -> int:
    return sum(1 for r in list(sink.received) if str(r.message["Subject"]).startswith(token))


def kill_workers(
    data_dir: Path,
    sink: SmtpSink,
    *,
    kills: int,
    mails: int,
    batch: int = 25,
    seed: int | None = None,
    timeout: float = 300,
) -> KillReport:
    """Queue `mails`, SIGKILL `kills` workers mid-batch, drain, and report what arrived."""
    rng = random.Random(seed)
    env = worker_env(data_dir, sink, batch)
    token = uuid.uuid4().hex[:10]
    _python(env, QUEUE, token, str(mails))
    report = KillReport(mails=mails, kills=0)
    started = time.monotonic()
    deadline = started + timeout
    while report.kills < kills:
        before = _ours(sink, token)
        if before >= mails and all(
            row["status"] == "sent" for row in json.loads(_python(env, STATE, token))
        ):
            break  # nothing left to interrupt
        worker = subprocess.Popen(
            [sys.executable, "-m", "rejoinder", "worker", "--poll", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # A random number of messages into this worker's life, inside a batch…
        left = mails - len(
            {
                str(r.message["Message-ID"])
                for r in list(sink.received)
                if token in str(r.message["Subject"])
            }
        )
        wanted = before + rng.randint(1, max(1, min(batch - 1, left)))
        while _ours(sink, token) < wanted:
            if worker.poll() is not None:
                raise AssertionError(f"the worker exited by itself ({worker.returncode})")
            if time.monotonic() > deadline:
                worker.kill()
                raise AssertionError("the workers stopped sending")
            time.sleep(0.0005)
        # …and a random moment after the server took it: before, while or after the worker
        # records it.
        time.sleep(rng.uniform(0, 0.012))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        report.kills += 1
    # Drain: dead workers' mail comes due when their leases end.
    while True:
        rows = json.loads(_python(env, STATE, token))
        if all(row["status"] in ("sent", "failed", "cancelled") for row in rows):
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"mail still unsent: {Counter(r['status'] for r in rows)}")
        subprocess.run(
            [sys.executable, "-m", "rejoinder", "worker", "--once"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)
    report.seconds = time.monotonic() - started
    report.statuses = Counter(row["status"] for row in rows)
    report.expected_ids = {row["id"] for row in rows}
    report.recorded_resends = {row["id"]: row["resends"] for row in rows}
    first_copy: dict[str, bytes] = {}
    taken: Counter[str] = Counter()
    for received in list(sink.received):
        if not str(received.message["Subject"]).startswith(token):
            continue
        message_id = str(received.message["Message-ID"])
        taken[message_id] += 1
        report.transmissions += 1
        if first_copy.setdefault(message_id, received.raw) != received.raw:
            report.copies_identical = False
    report.mailbox_ids = {
        str(r.message["Message-ID"])
        for r in sink.mailbox()
        if str(r.message["Subject"]).startswith(token)
    }
    report.in_mailbox = len(report.mailbox_ids)
    report.sent_twice = sorted(m for m, n in taken.items() if n > 1)
    report.copies = taken
    return report
