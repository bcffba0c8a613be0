"""The 项目支出绩效目标表 of a project and year, its workflow events, the reasons given for departing
from it in the self-evaluation, and the mid-year monitoring (绩效运行监控) against it."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from evaluations import scoring
from evaluations.models import MONEY, POINTS, Evaluation, Project
from targets import compare


class TargetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已批准"


class TargetTable(models.Model):
    """绩效目标表: 年度总体目标 and indicators promised for a project's year, approved with the budget."""

    Status = TargetStatus

    project = models.ForeignKey(Project, models.PROTECT, related_name="target_tables", verbose_name="项目")
    year = models.PositiveSmallIntegerField("年度")
    goal = models.TextField("年度总体目标", blank=True)
    budget = models.DecimalField("年度资金总额（万元）", null=True, blank=True, **MONEY)
    budget_current_year = models.DecimalField("其中：当年财政拨款（万元）", null=True, blank=True, **MONEY)
    budget_other = models.DecimalField("其他资金（万元）", null=True, blank=True, **MONEY)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("版本", default=1, help_text="每次保存加一，用于发现并发修改。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="绩效目标表变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "绩效目标表"
        ordering = ["-year", "project__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="target_table_unique_per_project_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="target_table_year_plausible"),
        ]

    def __str__(self):
        return f"{self.project.name}（{self.year}年度绩效目标）"

    def get_absolute_url(self):
        return reverse("target_table", args=[self.pk])

    def is_editable_by_staff(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def rows(self) -> list[compare.Row]:
        return [indicator.row() for indicator in self.indicators.all()]

    def weight_total(self) -> Decimal:
        return sum((indicator.weight for indicator in self.indicators.all()), Decimal("0.00"))


class TargetIndicator(models.Model):
    """One row of the 绩效指标 of a target table: what will be measured, the target, its weight."""

    table = models.ForeignKey(TargetTable, models.CASCADE, related_name="indicators", verbose_name="绩效目标表")
    position = models.PositiveSmallIntegerField("序号")
    level1 = models.CharField("一级指标", max_length=20)
    level2 = models.CharField("二级指标", max_length=20)
    name = models.CharField("三级指标", max_length=300)
    target = models.CharField("指标值", max_length=1000)
    weight = models.DecimalField("分值", **POINTS)

    history = HistoricalRecords(verbose_name="绩效目标指标变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "绩效目标指标"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "position"], name="target_indicator_unique_position"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="target_indicator_weight_non_negative"),
        ]

    def __str__(self):
        return self.name

    def row(self) -> compare.Row:
        return compare.Row(self.level1, self.level2, self.name, self.target, self.weight)

    def printed(self) -> tuple[str, str, str]:
        """指标性质, 指标值 and 度量单位 as the 申报表 prints them (scoring.printed_target)."""
        return scoring.printed_target(self.target)


class TargetEvent(models.Model):
    """One workflow action on a target table; written in the transaction of the change it records."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        SAVE = "save", "保存"
        SUBMIT = "submit", "提交"
        RETURN = "return", "退回"
        APPROVE = "approve", "批准"
        START_EVALUATION = "start_evaluation", "据此新建自评表"
        MONITOR = "monitor", "运行监控"
        IMPORT = "import", "导入"

    table = models.ForeignKey(TargetTable, models.CASCADE, related_name="events", verbose_name="绩效目标表")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=TargetStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=TargetStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="操作人")
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效目标流程记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.table_id}"


class TargetChangeReason(models.Model):
    """Why a self-evaluation departs from its approved target table at one indicator (compare.Difference.key)."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="target_change_reasons", verbose_name="自评表")
    key = models.CharField("差异", max_length=400)
    reason = models.TextField("调整理由", max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="填写人")
    updated_at = models.DateTimeField("时间", auto_now=True)

    history = HistoricalRecords(verbose_name="目标调整理由变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "目标调整理由"
        constraints = [models.UniqueConstraint(fields=["evaluation", "key"], name="target_change_reason_unique")]

    def __str__(self):
        return self.reason[:30]


class MonitoringReport(models.Model):
    """绩效运行监控: at a date in the year, the money spent so far and each indicator's progress."""

    table = models.ForeignKey(TargetTable, models.CASCADE, related_name="monitoring_reports", verbose_name="绩效目标表")
    as_of = models.DateField("监控日期")
    spent = models.DecimalField("截至监控日执行数（万元）", **MONEY)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="填写人")
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="绩效监控变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "绩效运行监控"
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["table", "as_of"], name="monitoring_once_per_date"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="monitoring_spent_non_negative"),
        ]

    def __str__(self):
        return f"{self.table} · {self.as_of}"

    def year_share(self) -> Decimal:
        """The share of the table's year gone at `as_of`, in percent (two places, cut)."""
        start = datetime.date(self.table.year, 1, 1)
        days = (datetime.date(self.table.year + 1, 1, 1) - start).days
        gone = min(max((self.as_of - start).days + 1, 0), days)
        return (Decimal(gone) * 100 / Decimal(days)).quantize(scoring.CENT, rounding="ROUND_DOWN")

    def spending_rate(self) -> Decimal | None:
        """Spent so far ÷ the year's budget, in percent; None without a budget."""
        if not self.table.budget:
            return None
        return (self.spent * 100 / self.table.budget).quantize(scoring.CENT, rounding="ROUND_DOWN")


class MonitoringProgress(models.Model):
    """One indicator's progress at a monitoring date."""

    report = models.ForeignKey(MonitoringReport, models.CASCADE, related_name="progress", verbose_name="监控")
    indicator = models.ForeignKey(TargetIndicator, models.CASCADE, related_name="progress", verbose_name="指标")
    progress = models.CharField("截至监控日完成情况", max_length=1000)

    history = HistoricalRecords(verbose_name="指标进度变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "指标完成进度"
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="monitoring_progress_unique")]

    def __str__(self):
        return self.progress[:30]
