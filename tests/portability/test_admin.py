"""The admin's imports and exports: an upload queued for `rejoinder worker`, its progress and
report, the same one-line errors as the command line, and an export's download."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.html import escape

from rejoinder.comments.models import Comment
from rejoinder.outbox.worker import run_round, step_names
from rejoinder.pages.models import Site
from rejoinder.portability.exporting import export_jsonl
from rejoinder.portability.jobs import import_progress, uploads_root
from rejoinder.portability.models import ImportJob, ImportStatus
from rejoinder.portability.report import Report

from .conftest import SAMPLES, database_rows

ADD = "/admin/portability/importjob/add/"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _post(client: Client, site: Site, name: str, data: bytes, **fields: Any) -> Any:
    return client.post(
        ADD,
        {
            "site": site.pk,
            "format": fields.pop("format", "disqus"),
            "file": SimpleUploadedFile(name, data),
            "rewrites": "",
            "time_zone": "",
            **fields,
        },
    )


def _cli_error(site: Site, format_name: str, path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("import_discussions", format_name, str(path), "--site", str(site.pk))
    return str(refused.value)


def test_an_upload_is_queued_run_by_the_worker_and_reported(
    admin_client: Client, gazette: Site, data_dir: Path
) -> None:
    form = admin_client.get(ADD)
    assert form.status_code == 200
    assert b'enctype="multipart/form-data"' in form.content
    assert (
        b"Upload an export to import" in admin_client.get("/admin/portability/importjob/").content
    )
    answer = _post(admin_client, gazette, "disqus.xml", (SAMPLES / "disqus.xml").read_bytes())
    job = ImportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/portability/importjob/{job.pk}/report/"
    assert job.status == ImportStatus.QUEUED
    stored = list((uploads_root() / job.folder).iterdir())
    assert [p.name for p in stored] == ["file-disqus.xml"]
    assert str(uploads_root()).startswith(str(data_dir))
    assert not Comment.objects.exists()  # nothing until the worker runs it
    page = admin_client.get(answer["Location"])
    assert b"Waiting for rejoinder worker" in page.content
    assert b'http-equiv="refresh"' in page.content

    assert "imports" in step_names()
    run_round(raise_errors=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert job.report is not None
    assert job.report["imported"]["comments"] == Comment.objects.count() == 7
    assert not (uploads_root() / job.folder).exists()  # the files are gone once run
    page = admin_client.get(answer["Location"])
    assert b"imported" in page.content
    assert b'http-equiv="refresh"' not in page.content
    listing = admin_client.get("/admin/portability/importjob/")
    assert b"100%" in listing.content
    assert run_round() == 0  # the queue is empty


def test_bad_files_get_the_command_lines_one_line_errors(
    admin_client: Client, gazette: Site, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    answer = _post(admin_client, gazette, "empty.xml", b"")
    assert answer.status_code == 400
    assert escape(_cli_error(gazette, "disqus", empty)) in answer.content.decode()
    assert "empty.xml: the file is empty (0 bytes)" in answer.content.decode()
    wrong = SAMPLES / "wordpress.xml"
    answer = _post(admin_client, gazette, "wordpress.xml", wrong.read_bytes())
    assert answer.status_code == 400
    cli = _cli_error(gazette, "disqus", wrong)
    assert escape(f"wordpress.xml: {cli.split(': ', 1)[1]}") in answer.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(uploads_root().iterdir())  # refused files are not kept


def test_a_file_bad_past_its_start_fails_in_the_worker_and_changes_nothing(
    admin_client: Client, gazette: Site, tmp_path: Path
) -> None:
    text = (SAMPLES / "disqus.xml").read_bytes()
    truncated = tmp_path / "cut.xml"
    truncated.write_bytes(text[: len(text) // 2])
    before = database_rows()
    _post(admin_client, gazette, "cut.xml", truncated.read_bytes())
    run_round(raise_errors=True)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.error == _cli_error(gazette, "disqus", truncated)
    after = database_rows()
    after.pop("portability_importjob")
    before.pop("portability_importjob")
    assert after == before
    page = admin_client.get(f"/admin/portability/importjob/{job.pk}/report/")
    assert escape(job.error) in page.content.decode()


def test_files_over_the_limit_are_refused_naming_the_field(
    admin_client: Client, gazette: Site, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "MAX_UPLOAD_BYTES": 100}
    answer = _post(admin_client, gazette, "disqus.xml", (SAMPLES / "disqus.xml").read_bytes())
    assert answer.status_code == 400
    assert "is more than the 100 an upload may have" in answer.content.decode()
    assert not ImportJob.objects.exists()
    answer = _post(
        admin_client,
        gazette,
        "disqus.xml",
        b"<x/>",
        file2=SimpleUploadedFile("more.sql", b"--"),
    )
    assert answer.status_code == 400
    assert "the disqus format takes one file; a second was given" in answer.content.decode()


def test_a_running_import_shows_how_much_was_read(
    admin_client: Client, gazette: Site, run: Callable[..., Report]
) -> None:
    _post(admin_client, gazette, "disqus.xml", (SAMPLES / "disqus.xml").read_bytes())
    job = ImportJob.objects.get()
    job.status = ImportStatus.RUNNING
    job.save()
    assert import_progress(job) is None
    (uploads_root() / job.folder / "progress.json").write_text(json.dumps({"read": 0.42}))
    assert import_progress(job) == 0.42
    page = admin_client.get(f"/admin/portability/importjob/{job.pk}/report/")
    assert b'value="42"' in page.content
    assert b"42%" in admin_client.get("/admin/portability/importjob/").content


def test_the_export_downloads_for_superusers_only(
    admin_client: Client, gazette: Site, run: Callable[..., Report], client: Client
) -> None:
    run("disqus", "disqus.xml")
    answer = admin_client.post(
        "/admin/portability/importjob/export/", {"site": gazette.pk, "format": "jsonl"}
    )
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="rejoinder-news.example')
    body = b"".join(answer.streaming_content).decode()
    expected = io.StringIO()
    export_jsonl(gazette, expected)
    assert body == expected.getvalue()
    answer = admin_client.post(
        "/admin/portability/importjob/export/", {"site": gazette.pk, "format": "wxr"}
    )
    assert b"<wp:wxr_version>1.2</wp:wxr_version>" in b"".join(answer.streaming_content)
    refused = admin_client.post(
        "/admin/portability/importjob/export/", {"site": gazette.pk, "format": "csv"}
    )
    assert refused.status_code == 400
    staff = get_user_model().objects.create_user("staff", "s@example.org", "pw", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/portability/importjob/export/").status_code == 403
