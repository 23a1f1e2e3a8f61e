"""Benchmark of "Notify of": POST latency with 0 and 10,000 subscribers, and worker mails/s.

usage: .venv/bin/python bench/notify.py [--subscribers 10000] [--duration 10] [--conns 16]
Runs on a throw-away SQLite data directory: `rejoinder serve --no-worker` (so the request path
is measured alone) loaded with wrk on loopback, then the worker (fan-out + sending) in this
process against a local aiosmtpd sink that accepts and counts. Prints a table, writes JSON to
bench/results/notify-<time>.json.
"""

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PORT = 8097

parser = argparse.ArgumentParser()
parser.add_argument("--subscribers", type=int, default=10_000)
parser.add_argument("--duration", type=int, default=10)
parser.add_argument("--conns", type=int, default=16)
args = parser.parse_args()

data = Path(tempfile.mkdtemp(prefix="rejoinder-notify-"))
env = {**os.environ, "REJOINDER_DATA_DIR": str(data), "REJOINDER_RATE_LIMITS": "0"}
os.environ.update(env)
os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"

import django  # noqa: E402

from local_server import figures, post_script, served, wrk  # noqa: E402

django.setup()
from aiosmtpd.controller import Controller  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from rejoinder.outbox.models import OutboxMail  # noqa: E402
from rejoinder.outbox.sending import send_due  # noqa: E402
from rejoinder.pages.lookup import default_site, ensure_page  # noqa: E402
from rejoinder.subscriptions.fanout import expand_jobs, mail_due  # noqa: E402
from rejoinder.subscriptions.models import FanoutJob, Subscription  # noqa: E402

call_command("migrate", verbosity=0)
site = default_site()
quiet = ensure_page(site, "/bench/quiet/", title="No subscribers")
busy = ensure_page(site, "/bench/busy/", title="Many subscribers")
now = timezone.now()
Subscription.objects.bulk_create(
    [
        Subscription(
            page=busy,
            email=f"reader{n}@example.org",
            kind="page",
            reader_key=f"k{n}",
            confirmed_at=now,
        )
        for n in range(args.subscribers)
    ],
    batch_size=2000,
)
connections.close_all()


def load(uri: str) -> dict:
    report = wrk(
        f"http://127.0.0.1:{PORT}/api/v1/comments",
        conns=args.conns,
        duration=args.duration,
        script=post_script(data / "post.lua", uri),
    )
    return {k: v for k, v in figures(report).items() if k != "requests"}


with served(PORT, env):
    results = {"subscribers": args.subscribers, "conns": args.conns, "duration_s": args.duration}
    results["post_0_subscribers"] = load(quiet.uri)
    results["post_with_subscribers"] = load(busy.uri)


class Sink:
    received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        Sink.received += 1
        return "250 OK"


sink = Controller(Sink(), hostname="127.0.0.1", port=8025)
sink.start()
os.environ["REJOINDER_EMAIL_URL"] = "smtp://127.0.0.1:8025"
from django.conf import settings  # noqa: E402

settings.REJOINDER = {**settings.REJOINDER, "EMAIL_URL": "smtp://127.0.0.1:8025"}
# One comment's worth of fan-out: keep the newest job on the busy page.
keep = FanoutJob.objects.filter(comment__page=busy).order_by("-pk").first()
FanoutJob.objects.exclude(pk=keep.pk).delete()
started = time.perf_counter()
while expand_jobs():
    pass
queued = 0
while batch := mail_due():
    queued += batch
fanned = time.perf_counter() - started
started = time.perf_counter()
while send_due(limit=200):
    pass
sending = time.perf_counter() - started
sink.stop()
sent = OutboxMail.objects.filter(status="sent").count()
results["fanout"] = {
    "mails_queued": queued,
    "seconds": round(fanned, 2),
    "mails_per_s": round(queued / fanned),
}
results["sending"] = {
    "mails_sent": sent,
    "smtp_received": Sink.received,
    "seconds": round(sending, 2),
    "mails_per_s": round(sent / sending),
}
results["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
out = HERE / "results" / f"notify-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
out.parent.mkdir(exist_ok=True)
out.write_text(json.dumps(results, indent=1) + "\n")
print(json.dumps(results, indent=1))
