from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from importer import access, documents, parsing, staging, stored
from importer.report import error_report


def import_limits() -> staging.Limits:
    """The limits of every import, the web's and import_dumps' alike, as the settings give them."""
    return staging.Limits(
        pdf_pages=settings.ZPB_IMPORT_MAX_PDF_PAGES,
        forms_per_file=settings.ZPB_IMPORT_MAX_FORMS_PER_FILE,
        indicators_per_form=settings.ZPB_IMPORT_MAX_INDICATORS_PER_FORM,
    )


class StagedImport(models.Model):
    """Uploaded files waiting for the uploader's confirmation, and what reading them found.

    A task reads the files once (`read_files`) with the reader of their kind of document (self-evaluation
    forms, target tables: importer.documents) and keeps the result here; the preview shows it and
    the confirmation writes the documents kept here, so neither parses again. Everything lives in the
    database, not on a server's disk, so the upload, the worker that reads it, the preview and the
    confirmation may each run in a different process or on a different machine.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队等待读取"
        READING = "reading", "正在读取"
        READ = "read", "已读取"
        FAILED = "failed", "读取失败"

    # Which kind of document the files hold (importer.documents): its reader, preview and writer.
    kind = models.CharField("文件内容", max_length=20, default="forms")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    completed_at = models.DateTimeField("导入时间", null=True, blank=True)
    state = models.CharField("读取状态", max_length=10, choices=State.choices, default=State.QUEUED)
    file_count = models.PositiveIntegerField("文件数", default=0)
    files_read = models.PositiveIntegerField("已读取文件数", default=0)
    # Each document as {"document": it as JSON, "report": what the preview shows, "outcome": predicted,
    # "message": why refused}, and what could not be read; emptied once the import is done.
    parsed = models.JSONField("读取结果", default=dict, blank=True)
    failure = models.TextField("读取失败原因", blank=True)
    progress_at = models.DateTimeField("最近进展", default=timezone.now)
    result = models.JSONField("导入结果", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待确认的导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_by} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        if self.completed_at:
            return reverse("import_result", args=[self.pk])
        return reverse("import_preview", args=[self.pk])

    @property
    def document_kind(self):
        return documents.get(self.kind)

    def read_files(self):
        """Parse every staged file once and keep the result; documents the uploader may not import become errors."""
        self._advance(state=self.State.READING, files_read=0)
        limits = import_limits()
        kind = self.document_kind
        kept, errors = [], []
        # One file's content in memory at a time.
        for number, pk in enumerate(self.files.values_list("pk", flat=True), 1):
            staged_file = StagedFile.objects.get(pk=pk)
            file_documents, file_errors = staging.read_file(bytes(staged_file.content), staged_file.name, limits, kind)
            errors += file_errors
            for document in file_documents:
                problem = access.scope_problem(self.created_by, document)
                if problem:
                    errors.append(parsing.FormError(document.file, document.lines, document.project_name, problem,
                                                    getattr(document, "pages", None)))
                else:
                    kept.append(document)
            self._advance(files_read=number)
        rows = [{**row, "document": stored.to_json(document)} for document, row in zip(kept, kind.preview(kept))]
        self.parsed = {"documents": rows, "errors": [error_report(error) for error in errors]}
        self._advance(state=self.State.READ, fields=["parsed"])

    def fail(self, message):
        self.failure = message
        self._advance(state=self.State.FAILED, fields=["failure"])

    def _advance(self, fields=(), **changes):
        for name, value in changes.items():
            setattr(self, name, value)
        self.progress_at = timezone.now()
        self.save(update_fields=[*changes, *fields, "progress_at"])

    @property
    def is_reading(self):
        return self.state in (self.State.QUEUED, self.State.READING)

    def stalled_message(self, now=None):
        """Why a reading that has not moved for too long will not finish by itself, or ""."""
        limit = timedelta(minutes=settings.ZPB_IMPORT_STALLED_MINUTES)
        if not self.is_reading or (now or timezone.now()) - self.progress_at < limit:
            return ""
        if self.state == self.State.QUEUED:
            return (f"已排队 {settings.ZPB_IMPORT_STALLED_MINUTES} 分钟以上仍未开始读取：后台任务进程可能没有运行。"
                    "请联系管理员，或稍后刷新本页。")
        return (f"读取已超过 {settings.ZPB_IMPORT_STALLED_MINUTES} 分钟没有进展，后台任务进程可能已中断。"
                "请重新上传；如反复出现，请联系管理员。")

    @property
    def progress_label(self):
        if self.state == self.State.READING and self.file_count:
            return f"正在读取第 {min(self.files_read + 1, self.file_count)} 个文件，共 {self.file_count} 个……"
        return f"{self.get_state_display()}……"

    def import_documents(self, user):
        """Write the documents kept by read_files and keep what became of each; call under this row's lock."""
        kind = self.document_kind
        errors = list(self.parsed["errors"])
        reports, kept = [], []
        for row in self.parsed["documents"]:
            document = stored.from_json(kind.document_type, row["document"])
            # Who may import what is checked again: the user's role may have changed since the upload.
            problem = access.scope_problem(user, document)
            if problem:
                errors.append({**_place(row["report"]), "project_name": document.project_name, "message": problem})
            else:
                reports.append(row["report"])
                kept.append(document)
        results = []
        for report, (document, written) in zip(reports, kind.write(kept, user)):
            if isinstance(written, Exception):  # a failed write costs only its own document
                errors.append({**_place(report), "project_name": document.project_name, "message": f"写入失败：{written}"})
                continue
            results.append({**_place(report), "project_name": document.project_name, "unit": document.unit,
                            "year": document.year, **written})
        self.result = {"documents": results, "errors": errors}
        self.parsed = {}
        self.completed_at = timezone.now()
        self.save(update_fields=["result", "parsed", "completed_at"])
        self.files.all().delete()


def _place(report):
    """Where the form of `report` is in its file, as the import report says it (lines, or pages of a PDF)."""
    return {key: report.get(key) for key in ("file", "lines", "pages")}


class StagedFile(models.Model):
    staged_import = models.ForeignKey(StagedImport, models.CASCADE, related_name="files")
    name = models.CharField("文件名", max_length=255)
    content = models.BinaryField("内容")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
