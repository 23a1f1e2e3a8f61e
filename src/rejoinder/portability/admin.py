"""The admin's imports and exports: an upload form that queues an import for
`rejoinder worker`, each import's progress and report, and an export's download.

Each view is a thin layer over one function of `jobs`: `queue_import`, `import_progress`,
`export_to_file`. Bad files get the one-line reason `rejoinder import` gives.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rejoinder.errors import RejoinderError
from rejoinder.pages.models import Site
from rejoinder.portability.exporting import EXPORTERS
from rejoinder.portability.importing import FORMATS
from rejoinder.portability.jobs import (
    Upload,
    export_to_file,
    import_progress,
    max_upload_bytes,
    queue_import,
)
from rejoinder.portability.models import ImportJob, ImportStatus

_EXPORT_NAMES = {
    "jsonl": gettext_lazy("Rejoinder JSON Lines (everything; to move or back up)"),
    "wxr": gettext_lazy("WordPress WXR with wpDiscuz meta"),
    "disqus": gettext_lazy("Disqus import XML"),
}


class ImportForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.order_by("pk"), label=gettext_lazy("Site"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(f.name, f"{f.name}: {f.description}") for f in FORMATS.values()],
    )
    # empty files reach `queue_import`, which refuses them as `rejoinder import` does
    file = forms.FileField(label=gettext_lazy("Export file"), allow_empty_file=True)
    file2 = forms.FileField(
        label=gettext_lazy("Second file"),
        required=False,
        allow_empty_file=True,
        help_text=gettext_lazy("wxr only: a mysqldump of wpDiscuz's wp_wc_* tables."),
    )
    rewrites = forms.CharField(
        label=gettext_lazy("Address rewrites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "One OLD=NEW per line: thread addresses starting with OLD start with NEW."
        ),
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("wxr only: the WordPress site's zone, e.g. Europe/Berlin."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: report, write nothing"), required=False
    )


class ExportForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.order_by("pk"), label=gettext_lazy("Site"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(name, _EXPORT_NAMES[name]) for name in EXPORTERS]
    )


def _upload(file: UploadedFile | None) -> Upload | None:
    if file is None:
        return None
    return Upload(name=file.name or "upload", size=file.size or 0, chunks=file.chunks())


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "site", "format", "original_name", "status", "progress", "created_at")
    list_filter = ("status", "format")
    change_list_template = "admin/portability/importjob_change_list.html"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("file"))
    def original_name(self, job: ImportJob) -> str:
        return job.file_name.split("-", 1)[-1]

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job: ImportJob) -> str:
        if job.status == ImportStatus.RUNNING:
            read = import_progress(job)
            return f"{read:.0%}" if read is not None else "…"
        return "100%" if job.status == ImportStatus.DONE else ""

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="portability_export"),
            path("<int:job_id>/report/", wrap(self.report_view), name="portability_report"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            **extra,
        }

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        status = 200
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    job = queue_import(
                        site=data["site"],
                        format_name=data["format"],
                        upload=_upload(data["file"]),  # type: ignore[arg-type]
                        second=_upload(data.get("file2")),
                        rewrites=[
                            line.strip() for line in data["rewrites"].splitlines() if line.strip()
                        ],
                        time_zone=data["time_zone"].strip(),
                        dry_run=data["dry_run"],
                        user=request.user,
                    )
                except RejoinderError as exc:
                    field = exc.field if exc.field in form.fields else None
                    form.add_error(field, exc.message)
                else:
                    return HttpResponseRedirect(reverse("admin:portability_report", args=[job.pk]))
            status = 400
        else:
            form = ImportForm()
        context = self._context(
            request,
            _("Import discussions"),
            form=form,
            max_bytes=max_upload_bytes(),
        )
        return TemplateResponse(
            request, "admin/portability/import_form.html", context, status=status
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return self.report_view(request, int(object_id) if object_id.isdigit() else 0)

    def report_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        read = import_progress(job) if job.status == ImportStatus.RUNNING else None
        context = self._context(
            request,
            _("Import %(id)d") % {"id": job.pk},
            job=job,
            file_name=self.original_name(job),
            read=read,
            waiting=job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
            report_json=json.dumps(job.report, indent=1, ensure_ascii=False) if job.report else "",
        )
        return TemplateResponse(request, "admin/portability/import_report.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse | FileResponse:
        # An export holds every commenter's email address: superusers only.
        if not request.user.is_superuser:  # type: ignore[union-attr]
            raise PermissionDenied
        status = 200
        if request.method == "POST":
            form = ExportForm(request.POST)
            if form.is_valid():
                try:
                    handle, name = export_to_file(
                        form.cleaned_data["site"], form.cleaned_data["format"]
                    )
                except RejoinderError as exc:
                    form.add_error("format", exc.message)
                else:
                    content_type = (
                        "application/x-ndjson"
                        if name.endswith(".jsonl")
                        else "application/xml; charset=utf-8"
                    )
                    return FileResponse(
                        handle, as_attachment=True, filename=name, content_type=content_type
                    )
            status = 400
        else:
            form = ExportForm()
        context = self._context(request, _("Export discussions"), form=form)
        return TemplateResponse(
            request, "admin/portability/export_form.html", context, status=status
        )
