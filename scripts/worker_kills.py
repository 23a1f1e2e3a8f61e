"""Kill `rejoinder worker` with SIGKILL mid-batch, twenty times, and print what arrived.

usage: .venv/bin/python scripts/worker_kills.py [--kills 20] [--mails 800] [--batch 25]
           [--seed N] [--database-url postgres://…]

Each worker is killed a random number of messages into its life and a random moment after
the SMTP server (aiosmtpd, in this process) took one; then workers run until every mail is
sent. Prints the mails in the reader's mailbox (one per Message-ID), the messages the server
took (copies included), the mails sent twice and whether each was recorded as sent again in
doubt with the same bytes. Runs on a throw-away SQLite data directory unless a database URL
is given. tests/outbox/test_worker_processes.py runs the same with four kills.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.outbox.smtp_sink import SmtpSink  # noqa: E402
from tests.outbox.worker_kills import kill_workers  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--mails", type=int, default=800)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.database_url:
        os.environ["REJOINDER_DATABASE_URL"] = args.database_url
    sink = SmtpSink()
    sink.delay = 0.002
    sink.start()
    try:
        with tempfile.TemporaryDirectory(prefix="rejoinder-kills-") as data:
            report = kill_workers(
                Path(data),
                sink,
                kills=args.kills,
                mails=args.mails,
                batch=args.batch,
                seed=args.seed,
                timeout=900,
            )
    finally:
        sink.stop()
    print(report.summary())
    lost = report.expected_ids - report.mailbox_ids
    print(f"lost: {len(lost)}; extra copies all recorded resends: {report.copies_explained()}")
    ok = (
        not lost
        and report.copies_explained()
        and report.copies_identical
        and report.statuses == {"sent": args.mails}
    )
    print("every mail arrived exactly once in the mailbox" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
