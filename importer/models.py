from django.conf import settings
from django.db import models
from django.urls import reverse


class StagedImport(models.Model):
    """Uploaded dumps waiting for the uploader's confirmation.

    The content lives in the database, not on the app server's disk, so the preview and the
    confirmation may be served by different app processes.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    completed_at = models.DateTimeField("导入时间", null=True, blank=True)
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


class StagedFile(models.Model):
    staged_import = models.ForeignKey(StagedImport, models.CASCADE, related_name="files")
    name = models.CharField("文件名", max_length=255)
    content = models.BinaryField("内容")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
