"""Imports queued from the admin and run by `rejoinder worker`; exports written for download.

`queue_import` checks and stores the uploaded files under the data directory
(`imports/uploads/FOLDER/`), refusing a file the command line would refuse at once (empty,
damaged compression, the wrong kind of file) with the same one-line reason. The worker's
"imports" step (`run_next_import`) claims the oldest queued job, runs `run_import` on it,
keeps the report or the one-line error, and deletes the files. While it runs, the share of
the file read is written to `progress.json` beside the files, and a thread touches `alive`
there every few seconds: on SQLite the import holds the write lock, so neither can go through
the database. A running job whose `alive` is older than `IMPORT_LEASE_SECONDS` lost its worker
(killed, or its machine gone) and, with it, the import's transaction: the next worker runs it
again from the start, up to `IMPORT_ATTEMPTS` times.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rejoinder.errors import InvalidInput, RejoinderError
from rejoinder.pages.models import Site
from rejoinder.portability.context import ReadContext
from rejoinder.portability.exporting import EXPORTERS
from rejoinder.portability.importing import FORMATS, check_kind, run_import
from rejoinder.portability.models import ImportJob, ImportStatus
from rejoinder.portability.sources import BadFile, open_import_file
from rejoinder.portability.writer import Rewrite

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
EXPORT_SUFFIX = {"jsonl": ".jsonl", "wxr": ".xml", "disqus": ".xml"}


def uploads_root() -> Path:
    return Path(settings.DATA_DIR) / "imports" / "uploads"


def max_upload_bytes() -> int:
    """The largest file the admin takes (`REJOINDER_MAX_UPLOAD_BYTES`; bigger: the CLI)."""
    return int(settings.REJOINDER["MAX_UPLOAD_BYTES"])


@dataclass(frozen=True)
class Upload:
    """An uploaded file: its name as sent, its size and its bytes."""

    name: str
    size: int
    chunks: Iterable[bytes]


def _safe_name(name: str) -> str:
    base = _UNSAFE.sub("_", Path(name).name).strip("._") or "upload"
    return base[-100:]


def _store(upload: Upload, folder: Path, field: str) -> Path:
    if upload.size > max_upload_bytes():
        raise InvalidInput(
            f"{upload.name}: {upload.size:,} bytes is more than the {max_upload_bytes():,} "
            "an upload may have; import bigger files with `rejoinder import`",
            field=field,
        )
    target = folder / f"{field}-{_safe_name(upload.name)}"
    written = 0
    with target.open("wb") as out:
        for chunk in upload.chunks:
            written += len(chunk)
            if written > max_upload_bytes():
                raise InvalidInput(
                    f"{upload.name}: more than the {max_upload_bytes():,} bytes an upload may "
                    "have; import bigger files with `rejoinder import`",
                    field=field,
                )
            out.write(chunk)
    return target


def queue_import(
    *,
    site: Site,
    format_name: str,
    upload: Upload,
    second: Upload | None = None,
    rewrites: list[str] | None = None,
    time_zone: str = "",
    dry_run: bool = False,
    user: Any = None,
) -> ImportJob:
    """Check and store an uploaded export, and queue its import for the worker.

    Raises InvalidInput naming the field: an unknown format, a second file for a format
    that takes one, a file over the size limit, or a file the import would refuse at once
    (the same one-line reason as `rejoinder import`, after the file's name).
    """
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise InvalidInput(f"unknown format {format_name!r}", field="format")
    if second is not None and not fmt.second_file:
        raise InvalidInput(
            f"the {fmt.name} format takes one file; a second was given", field="file2"
        )
    for text in rewrites or []:
        Rewrite.parse(text)
    uploads_root().mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=secrets.token_hex(4) + "-", dir=uploads_root()))
    try:
        path = _store(upload, folder, "file")
        _check(path, upload.name, "file", fmt.name)
        second_path = None
        if second is not None:
            second_path = _store(second, folder, "file2")
            _check(second_path, second.name, "file2", None)
        return ImportJob.objects.create(
            site=site,
            format=fmt.name,
            file_name=path.name,
            second_name=second_path.name if second_path else "",
            folder=folder.name,
            rewrites=list(rewrites or []),
            time_zone=time_zone,
            dry_run=dry_run,
            created_by=user if getattr(user, "pk", None) else None,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _check(path: Path, name: str, field: str, format_name: str | None) -> None:
    """Refuse now what the import would refuse at its start: an empty or damaged file, the
    wrong kind of file, another format's root element."""
    try:
        with open_import_file(path) as opened:
            if format_name is not None:
                check_kind(opened, FORMATS[format_name])
                if format_name != "jsonl":  # its header is read by the import itself
                    records = FORMATS[format_name].reader()(opened, ReadContext())
                    next(iter(records), None)
    except BadFile as exc:
        raise InvalidInput(f"{name}: {exc}", field=field) from None


def _folder(job: ImportJob) -> Path:
    return uploads_root() / job.folder


def import_progress(job: ImportJob) -> float | None:
    """The share of a running job's file read so far (0 to 1), when the worker said."""
    try:
        data = json.loads((_folder(job) / "progress.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("read") if isinstance(data, dict) else None
    return float(value) if isinstance(value, int | float) else None


ALIVE = "alive"


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _lost(job: ImportJob) -> bool:
    """Whether a running job's worker has not shown itself alive within the lease."""
    try:
        seen = (_folder(job) / ALIVE).stat().st_mtime
    except OSError:  # not touched yet: judge by the start
        seen = job.started_at.timestamp() if job.started_at else 0.0
    return time.time() - seen > settings.REJOINDER["IMPORT_LEASE_SECONDS"]


def _claim() -> ImportJob | None:
    """Claim the oldest queued job, else a running one whose worker was lost."""
    with transaction.atomic():
        jobs = ImportJob.objects.select_for_update(skip_locked=True).order_by("pk")
        job = jobs.filter(status=ImportStatus.QUEUED).first()
        if job is None:
            job = next((j for j in jobs.filter(status=ImportStatus.RUNNING) if _lost(j)), None)
            if job is None:
                return None
            job.attempts += 1
            log.warning(
                "import job %s: its worker %s stopped while running it; attempt %d",
                job.pk,
                job.worker,
                job.attempts + 1,
            )
            if job.attempts >= settings.REJOINDER["IMPORT_ATTEMPTS"]:
                job.save(update_fields=["attempts"])
                _finish(
                    job,
                    ImportStatus.FAILED,
                    error=f"the worker running this import stopped {job.attempts} times "
                    f"(last {job.worker}); nothing of it was saved",
                )
                shutil.rmtree(_folder(job), ignore_errors=True)
                return None
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        job.worker = _worker_name()
        job.save(update_fields=["status", "started_at", "worker", "attempts"])
        return job


def _keep_alive(path: Path, stop: threading.Event) -> None:
    """Touch `path` until `stop` is set, often enough for the lease."""
    every = max(0.2, settings.REJOINDER["IMPORT_LEASE_SECONDS"] / 4)
    while True:
        with contextlib.suppress(OSError):  # the folder went: the job ends anyway
            path.touch()
        if stop.wait(every):
            return


def run_next_import() -> int:
    """The worker's "imports" step: run the oldest queued import (or one whose worker was
    lost); return 1, or 0 if none."""
    job = _claim()
    if job is None:
        return 0
    folder = _folder(job)
    progress_file = folder / "progress.json"
    stop = threading.Event()
    alive = threading.Thread(target=_keep_alive, args=(folder / ALIVE, stop), daemon=True)
    alive.start()

    def progress(fraction: float) -> None:
        partial = progress_file.with_suffix(".tmp")
        partial.write_text(json.dumps({"read": round(fraction, 4)}), encoding="utf-8")
        partial.replace(progress_file)

    file_name = job.file_name.split("-", 1)[-1]
    try:
        report = run_import(
            site=job.site,
            format_name=job.format,
            path=folder / job.file_name,
            second=folder / job.second_name if job.second_name else None,
            rewrites=job.rewrites,
            dry_run=job.dry_run,
            timezone=job.time_zone,
            progress=progress,
        )
    except BadFile as exc:
        _finish(job, ImportStatus.FAILED, error=f"{file_name}: {exc}")
    except RejoinderError as exc:
        _finish(job, ImportStatus.FAILED, error=exc.message)
    except Exception as exc:
        log.exception("import job %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, error=f"{file_name}: the import failed ({exc})")
    else:
        job.report = json.loads(report.to_json())
        job.summary = report.summary()
        _finish(job, ImportStatus.DONE)
    finally:
        stop.set()
        alive.join()
        shutil.rmtree(folder, ignore_errors=True)
    return 1


def _finish(job: ImportJob, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error[:1000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "report", "summary", "finished_at"])


def export_to_file(site: Site, format_name: str) -> tuple[IO[bytes], str]:
    """Write the site's export to a file under the data directory; return it open for
    reading (the file itself is already deleted: it goes when it is closed) and its name."""
    exporter = EXPORTERS.get(format_name)
    if exporter is None:
        raise InvalidInput(f"unknown export format {format_name!r}", field="format")
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, suffix=".partial")
    partial = Path(name)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as out:
            exporter(site, out)
        reader = partial.open("rb")  # the response closes it
    finally:
        partial.unlink(missing_ok=True)  # gone from the folder; readable while open
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = f"rejoinder-{_safe_name(site.domain or str(site.pk))}-{stamp}"
    return reader, name + EXPORT_SUFFIX[format_name]
