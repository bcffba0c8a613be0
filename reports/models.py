from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.urls import reverse
from simple_history.models import HistoricalRecords

from evaluations.models import Department, Evaluation
from reports import drafting


class ReportTextConflict(Exception):
    """The texts changed since the person's page was drawn; the message is for the user."""


class ReportText(models.Model):
    """The human-words parts of an evaluation's 绩效自评报告, kept once someone has edited them."""

    evaluation = models.OneToOneField(Evaluation, models.CASCADE, related_name="report_text", verbose_name="自评表")
    problems = models.TextField("存在的问题", max_length=5000)
    improvements = models.TextField("改进措施", max_length=5000)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, verbose_name="修改人")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    history = HistoricalRecords(verbose_name="自评报告文字变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "自评报告文字"

    def __str__(self):
        return f"{self.evaluation} 自评报告"

    @classmethod
    def of(cls, evaluation) -> "ReportText":
        """The saved texts, or (unsaved, version 0) a draft written from the form."""
        try:
            return evaluation.report_text  # read with the evaluation when the query selected it
        except cls.DoesNotExist:
            pass
        figures = evaluation.figures()
        rate = _total_rate(evaluation)
        return cls(evaluation=evaluation, version=0, problems=drafting.draft_problems(figures, rate),
                   improvements=drafting.draft_improvements(figures, rate))

    @classmethod
    @transaction.atomic
    def save_texts(cls, evaluation, user, problems: str, improvements: str, expected_version: int) -> "ReportText":
        """Store the edited texts; the history row (before and after, by whom) is written in this transaction."""
        Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()  # one writer at a time per form
        text = cls.objects.filter(evaluation=evaluation).first()
        current = text.version if text else 0
        if current != expected_version:
            raise ReportTextConflict(
                f"报告文字在您打开页面后已被他人修改（您看到的是第 {expected_version} 版，现在是第 {current} 版），"
                "未保存。请查看最新内容后再修改。"
            )
        text = text or cls(evaluation=evaluation, version=0)
        text.problems, text.improvements = problems, improvements
        text.version = current + 1
        text.updated_by = text._history_user = user
        text.save()
        return text


def _total_rate(evaluation):
    total = next((line for line in evaluation.ordered_funding_lines() if line.kind == "total"), None)
    return total.computed_rate() if total else None


class PackageStorage(FileSystemStorage):
    """Built packages live outside the static and media roots: only the scoped download view serves them.
    The folder is read from the settings at each use, not once at start-up."""

    @property
    def base_location(self):
        return settings.ZPB_PACKAGE_ROOT

    @property
    def location(self):
        return str(self.base_location)


def package_storage():
    return PackageStorage()


class PublicationPackage(models.Model):
    """A department's year for 决算公开: the approved forms as one PDF plus the summary report, zipped."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name="申请人")
    department = models.ForeignKey(Department, models.CASCADE, verbose_name="主管部门")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveIntegerField("已完成步骤", default=0)
    steps_total = models.PositiveIntegerField("总步骤", default=0)
    form_count = models.PositiveIntegerField("自评表份数", default=0)
    file = models.FileField("文件", storage=package_storage, upload_to="packages/", blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开材料包"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.department} {self.year}年度公开材料包"

    def get_absolute_url(self):
        return reverse("package_status", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return self.steps_done * 100 // self.steps_total if self.steps_total else 0

    def remove_superseded(self):
        """A built package replaces its requester's earlier finished ones of the same department and year,
        files included, so the package folder holds one zip per person and year instead of every rebuild."""
        earlier = PublicationPackage.objects.filter(
            requested_by=self.requested_by_id, department=self.department_id, year=self.year,
            status__in=[self.Status.DONE, self.Status.FAILED], pk__lt=self.pk)
        for package in earlier:
            if package.file:
                package.file.delete(save=False)
            package.delete()

    @property
    def download_name(self) -> str:
        return f"{self.department.name}{self.year}年度绩效自评公开材料.zip"
