"""An admin import whose worker dies while running it: the next worker runs it again.

The import is one transaction, so a killed worker leaves nothing of it in the database; what
it leaves is the job marked running. The lease (the `alive` file the worker touches) tells a
lost job from one still running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from rejoinder.comments.models import Comment
from rejoinder.outbox.worker import run_round
from rejoinder.pages.models import Site
from rejoinder.portability.jobs import ALIVE, Upload, queue_import, uploads_root
from rejoinder.portability.models import ImportJob, ImportStatus

from .conftest import SAMPLES


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _queued(site: Site) -> ImportJob:
    data = (SAMPLES / "disqus.xml").read_bytes()
    return queue_import(
        site=site, format_name="disqus", upload=Upload("disqus.xml", len(data), [data])
    )


def _left_running(job: ImportJob, *, seconds_ago: float) -> None:
    """Mark the job as a worker that started it `seconds_ago` and last touched it then."""
    job.status = ImportStatus.RUNNING
    job.worker = "gone.example:4242"
    job.save()
    alive = uploads_root() / job.folder / ALIVE
    alive.touch()
    then = time.time() - seconds_ago
    os.utime(alive, (then, then))


def test_a_job_whose_worker_was_lost_is_run_again_by_the_next_worker(
    gazette: Site, settings: Any, admin_client: Client
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "IMPORT_LEASE_SECONDS": 60}
    job = _queued(gazette)
    _left_running(job, seconds_ago=61)

    run_round(raise_errors=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert job.attempts == 1
    assert job.worker != "gone.example:4242"
    assert job.report is not None
    assert job.report["imported"]["comments"] == Comment.objects.count() == 7
    assert not (uploads_root() / job.folder).exists()
    report = admin_client.get(f"/admin/portability/importjob/{job.pk}/report/")
    assert b"Run again from the start once, after its worker stopped." in report.content


def test_a_job_whose_worker_is_alive_is_left_to_it(gazette: Site, settings: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "IMPORT_LEASE_SECONDS": 60}
    job = _queued(gazette)
    _left_running(job, seconds_ago=30)

    run_round(raise_errors=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert job.attempts == 0
    assert not Comment.objects.exists()


def test_after_the_last_attempt_the_job_fails_saying_why_and_imports_nothing(
    gazette: Site, settings: Any
) -> None:
    settings.REJOINDER = {
        **settings.REJOINDER,
        "IMPORT_LEASE_SECONDS": 60,
        "IMPORT_ATTEMPTS": 2,
    }
    job = _queued(gazette)
    job.attempts = 1
    job.save()
    _left_running(job, seconds_ago=120)

    run_round(raise_errors=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == (
        "the worker running this import stopped 2 times (last gone.example:4242); "
        "nothing of it was saved"
    )
    assert not Comment.objects.exists()
    assert not (uploads_root() / job.folder).exists()


# A real worker process, killed with SIGKILL in the middle of a large import.

SETUP = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"
django.setup()
from pathlib import Path
from django.core.management import call_command
from rejoinder.pages.models import Site
from rejoinder.portability.jobs import Upload, queue_import
call_command("migrate", verbosity=0)
domain, path = sys.argv[1], Path(sys.argv[2])
site = Site.objects.create(name=domain, domain=domain)
data = path.read_bytes()
job = queue_import(site=site, format_name="disqus", upload=Upload(path.name, len(data), [data]))
print(job.pk)
"""
STATE = """
import json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"
django.setup()
from rejoinder.comments.models import Comment
from rejoinder.portability.models import ImportJob
job = ImportJob.objects.get(pk=int(sys.argv[1]))
print(json.dumps({"status": job.status, "attempts": job.attempts, "error": job.error,
                  "comments": Comment.objects.filter(page__site=job.site_id).count()}))
"""


def _disqus(path: Path, comments: int, domain: str) -> None:
    """Write a Disqus export of `comments` comments over ten threads."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
    ]
    for t in range(10):
        parts.append(
            f'<thread dsq:id="{t + 1}"><link>https://{domain}/story-{t}/</link>'
            f"<title>Story {t}</title><createdAt>2024-01-01T00:00:00Z</createdAt></thread>"
        )
    for n in range(comments):
        parts.append(
            f'<post dsq:id="{1000 + n}"><message><![CDATA[<p>Comment {n}: the <b>ferry</b> '
            f"runs late again.</p>]]></message><createdAt>2024-01-02T10:00:00Z</createdAt>"
            f"<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Reader {n % 50}"
            f'</name><isAnonymous>true</isAnonymous></author><thread dsq:id="{n % 10 + 1}" />'
            "</post>"
        )
    parts.append("</disqus>\n")
    path.write_text("".join(parts), encoding="utf-8")


def _state(env: dict[str, str], job_id: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", STATE, job_id], env=env, check=True, capture_output=True, text=True
    )
    return dict(json.loads(done.stdout))


@pytest.mark.processes
def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_one_imports_it_once(
    tmp_path: Path,
) -> None:
    comments = 6000
    domain = f"lost-{os.getpid()}-{time.monotonic_ns()}.example"
    export = tmp_path / "big.xml"
    _disqus(export, comments, domain)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(REJOINDER_DATA_DIR=str(tmp_path / "data"), REJOINDER_IMPORT_LEASE_SECONDS="2")
    job_id = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP, domain, str(export)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()

    worker = subprocess.Popen(
        [sys.executable, "-m", "rejoinder", "worker"], env=env, stdout=subprocess.DEVNULL
    )
    uploads = tmp_path / "data" / "imports" / "uploads"
    try:
        deadline = time.monotonic() + 60
        while not any(uploads.glob(f"*/{ALIVE}")):  # the worker has started the import
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker never started the import"
            time.sleep(0.02)
        time.sleep(0.3)  # into the import's transaction
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    left = _state(env, job_id)
    assert left["status"] == ImportStatus.RUNNING, left
    assert left["comments"] == 0  # the transaction died with the worker

    time.sleep(2.5)  # past the lease
    subprocess.run(
        [sys.executable, "-m", "rejoinder", "worker", "--once"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )
    final = _state(env, job_id)
    assert final == {
        "status": ImportStatus.DONE,
        "attempts": 1,
        "error": "",
        "comments": comments,
    }
