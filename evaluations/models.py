import logging
import re
import uuid
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Q, When
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluations import form_checks, roles, scoring

security_log = logging.getLogger("zpb.security")

MONEY = {"max_digits": 14, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 2}


def scoring_rules() -> scoring.Rules:
    return scoring.Rules(**settings.ZPB_SCORING)


class Department(models.Model):
    """主管部门."""

    name = models.CharField("主管部门", max_length=100, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "主管部门"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def flag_tuning(self) -> dict:
        """{code: severity, or None when off} of the §6 flags this department tuned (scoring.tuned); read
        once per Department instance, which the evaluations of a batch share."""
        if not hasattr(self, "_flag_tuning"):
            self._flag_tuning = {rule.code: rule.severity if rule.enabled else None for rule in self.flag_rules.all()}
        return self._flag_tuning


class DepartmentFlagRule(models.Model):
    """A department's choice for one §6 flag: on or off, and its severity (defaults: SCORING.md)."""

    SEVERITIES = [(scoring.ERROR, "错误"), (scoring.WARNING, "警告"), (scoring.INFO, "提示")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="flag_rules", verbose_name="主管部门")
    code = models.CharField("检查项", max_length=40, choices=[
        ("W_SCORE_AHEAD_OF_SPENDING", "得分高于花钱"), ("W_UNDERSPENT", "预算执行偏低"),
        ("W_TEXT_REUSED", "文字雷同"), ("I_SATISFACTION_UNSUPPORTED", "满意度缺佐证"),
    ])
    enabled = models.BooleanField("启用", default=True)
    severity = models.CharField("级别", max_length=10, choices=SEVERITIES)

    history = HistoricalRecords(verbose_name="检查规则变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "合理性检查规则"
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="flag_rule_unique_per_department")]

    def __str__(self):
        return f"{self.department} · {self.get_code_display()}"


class Unit(models.Model):
    """实施单位, under one department."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="units", verbose_name="主管部门")
    name = models.CharField("实施单位", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "实施单位"
        ordering = ["department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="unit_unique_per_department")]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        from evaluations import tallies

        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            return  # a new unit has no evaluations to carry along
        # A unit moved to another department takes its evaluations along (Evaluation.department), and its tallies.
        if Evaluation.objects.filter(project__unit=self).exclude(department=self.department_id).update(
            department=self.department_id
        ):
            tallies.unit_moved(self)


class Project(models.Model):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="projects", verbose_name="实施单位")
    name = models.CharField("项目名称", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["unit__name", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="project_unique_per_unit")]

    def __str__(self):
        return self.name

    def clean(self):
        problem = self.move_problem()
        if problem:
            raise ValidationError({"unit": problem})

    def save(self, *args, **kwargs):
        problem = self.move_problem()
        if problem:
            raise ValidationError(problem)
        super().save(*args, **kwargs)

    def move_problem(self) -> str:
        """Why this project may not be saved under its unit, or "" when it may.

        A project's evaluations belong to its unit: moving a project that has evaluations would hand
        them to another unit's staff to edit, so it is refused rather than done silently."""
        if self._state.adding or self.unit_id is None:
            return ""
        stored_unit = Project.objects.filter(pk=self.pk).values_list("unit_id", flat=True).first()
        if stored_unit in (None, self.unit_id) or not self.evaluations.exists():
            return ""
        return "此项目已有自评表，不能改到其他实施单位（否则其自评表会交到另一单位的填报人手中）。请在新单位下另建项目。"


class Profile(models.Model):
    """An account's role and where it works: 填报人 belong to a unit, 审核人 to a department.

    Granted by someone else: nobody changes their own profile (evaluations.admin.ProfileAdmin)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name="账号")
    role = models.CharField("角色", max_length=16, choices=roles.Role.choices, blank=True)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, verbose_name="实施单位")
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, verbose_name="主管部门")
    email_notifications = models.BooleanField("接收邮件通知", default=True)
    # Set by record_password_change; empty for a password set before the profile existed (see zpb_site.middleware).
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["password_changed_at"])

    class Meta:
        verbose_name = verbose_name_plural = "账号角色与单位"

    def __str__(self):
        return f"{self.user} · {self.get_role_display() or '无角色'} · {self.unit or self.department or '—'}"

    def clean(self):
        # Where a role works is part of the role: without it the account would see nothing, or a place
        # that does not match what it does would be ignored and mislead whoever reads the profile.
        if self.role == roles.STAFF and self.unit is None:
            raise ValidationError({"unit": "填报人须指定实施单位。"})
        if self.role == roles.REVIEWER and self.department is None:
            raise ValidationError({"department": "审核人须指定主管部门。"})


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def notice_password_change(sender, instance, raw, update_fields, **kwargs):
    """Compare the password hash about to be saved with the stored one, whatever set it."""
    if raw or (update_fields is not None and "password" not in update_fields):
        return  # fixtures, and saves of other fields (the last_login of each sign-in)
    if update_fields is not None and instance._password is None:
        return  # check_password re-hashing with a newer hasher at sign-in: the same password
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._zpb_password_changed = stored != instance.password


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def record_password_change(sender, instance, **kwargs):
    if getattr(instance, "_zpb_password_changed", False):
        instance._zpb_password_changed = False
        Profile.objects.filter(user=instance).update(password_changed_at=timezone.now())
        security_log.info("password changed: %s", instance.get_username())


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"
    ACCEPTED = "accepted", "财政局已接收"


# Workflow order, so what waits for the reviewer comes first.
STATUS_RANK = Case(
    *(When(status=status, then=rank) for rank, status in enumerate(
        [EvaluationStatus.SUBMITTED, EvaluationStatus.RETURNED, EvaluationStatus.DRAFT, EvaluationStatus.APPROVED,
         EvaluationStatus.ACCEPTED])),
    output_field=models.SmallIntegerField(),
)
# The review queue's default order: what waits for review first, the most flagged on top, the oldest first.
# An index follows it (Evaluation.Meta), so the queue's first page is read without sorting the department.
ATTENTION_ORDER = [STATUS_RANK.asc(), F("error_count").desc(), F("warning_count").desc(), F("id").asc()]


class Evaluation(models.Model):
    Status = EvaluationStatus

    class Source(models.TextChoices):
        ENTRY = "entry", "在线填报"
        IMPORT = "import", "文本导入"

    project = models.ForeignKey(Project, models.PROTECT, related_name="evaluations", verbose_name="项目")
    # The project's unit and department, kept here (by save(), and by Unit and Project when they move) so
    # that department lists and counts filter, and group by unit, without joining projects and units.
    department = models.ForeignKey(Department, models.PROTECT, related_name="evaluations", verbose_name="主管部门",
                                   editable=False)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="evaluations", verbose_name="实施单位", editable=False)
    year = models.PositiveSmallIntegerField("年度")
    goal_expected = models.TextField("预期目标", blank=True)
    goal_actual = models.TextField("实际完成情况", blank=True)
    declared_total = models.DecimalField("总分（填报）", null=True, blank=True, **POINTS)
    declared_grade = models.CharField("评分等级（填报）", max_length=1, blank=True, choices=[(g, g) for g in scoring.GRADES])
    has_deviation_column = models.BooleanField("有偏差原因栏", default=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ENTRY)
    version = models.PositiveIntegerField("版本", default=1, help_text="每次保存加一，用于发现并发修改。")
    # The first time the form reached the reviewer: on time or late is judged by it, not by a resubmission.
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Derived from the rows by rescore(), kept so list pages filter and sort in SQL.
    computed_total = models.DecimalField("总分（核算）", null=True, blank=True, **POINTS)
    computed_grade = models.CharField("评分等级（核算）", max_length=1, blank=True)
    error_count = models.PositiveSmallIntegerField("错误数", default=0)
    warning_count = models.PositiveSmallIntegerField("警告数", default=0)
    flag_codes = models.CharField("标记代码", max_length=500, blank=True, help_text="以空格分隔")
    total_budget = models.DecimalField("全年预算数（年度资金总额）", null=True, blank=True, editable=False, **MONEY)
    total_executed = models.DecimalField("全年执行数（年度资金总额）", null=True, blank=True, editable=False, **MONEY)

    history = HistoricalRecords(verbose_name="自评表变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评表"
        ordering = ["-year", "project__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="evaluation_unique_per_project_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="evaluation_year_plausible"),
            models.CheckConstraint(condition=Q(version__gte=1), name="evaluation_version_positive"),
        ]
        indexes = [
            # The finance bureau's dashboard counts a year's forms of every department from this index alone
            # (PostgreSQL's index-only scan) rather than from the table's wide rows.
            models.Index(fields=["year", "status"], include=[
                "computed_grade", "computed_total", "total_budget", "total_executed", "flag_codes", "department", "id",
            ], name="evaluation_year_figures"),
            models.Index(fields=["department", "year"]),
            models.Index(F("department"), *ATTENTION_ORDER, name="evaluation_attention_order"),
            # Completeness counts a year's forms per department or unit from this index alone (PostgreSQL's
            # index-only scan), not from the table's wide rows: a province's year is 100,000 forms.
            models.Index(fields=["year", "department", "unit"], include=["status", "submitted_at", "project", "id"],
                         name="evaluation_completeness"),
        ]

    def __str__(self):
        return f"{self.project.name}（{self.year}年度）"

    @classmethod
    def from_db(cls, db, field_names, values):
        evaluation = super().from_db(db, field_names, values)
        # The unit-year it was counted in, should a save move it (evaluations.tallies recounts both).
        evaluation.tallied_as = (evaluation.__dict__.get("unit_id"), evaluation.__dict__.get("year"))
        return evaluation

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "project" in update_fields:
            self.unit_id = self.project.unit_id
            self.department_id = self.project.unit.department_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evaluation_detail", args=[self.pk])

    # --- Scoring -----------------------------------------------------------

    def figures(self) -> scoring.FormFigures:
        """The form's figures as stored; uses prefetched rows when there are any."""
        return scoring.FormFigures(
            funding=[line.figures() for line in self.ordered_funding_lines()],
            indicators=[indicator.figures() for indicator in self.indicators.all()],
            declared_total=self.declared_total,
            declared_grade=self.declared_grade,
        )

    def stored_figures(self) -> scoring.FormFigures:
        """The figures as stored, empty cells left None: what an unfinished form shows (never scored)."""
        return scoring.FormFigures(
            funding=[
                replace(line.figures(), **{name: getattr(line, name) for name in FundingLine.AMOUNTS})
                for line in self.ordered_funding_lines()
            ],
            indicators=[
                replace(indicator.figures(), weight=indicator.weight, score=indicator.score)
                for indicator in self.indicators.all()
            ],
            declared_total=self.declared_total,
            declared_grade=self.declared_grade,
        )

    def judged_figures(self) -> scoring.FormFigures:
        """The figures the rules judge: for a form read from paper an empty cell is a figure the form
        does not print (as in the import report); for one entered here, 0 until it is typed in."""
        return self.stored_figures() if self.source == self.Source.IMPORT else self.figures()

    def computed(self) -> scoring.Computed:
        return scoring.compute(self.judged_figures(), scoring_rules())

    def missing(self) -> list[str]:
        """What is not filled in yet, in words ("项目资金", "第 2 行指标的得分"); empty when the form is complete."""
        lines = self.ordered_funding_lines()
        missing = []
        if len(lines) < len(scoring.FUNDING_KINDS) or any(line.blank_cells() for line in lines):
            missing.append("项目资金")
        indicators = list(self.indicators.all())
        if not indicators:
            missing.append("绩效指标")
        for indicator in indicators:
            if blank := indicator.blank_cells():
                missing.append(f"第 {indicator.position} 行指标的{'、'.join(blank)}")
        return missing

    def is_blank(self) -> bool:
        """Nothing typed in yet: no indicator and no funding amount but the 0s a new form starts with."""
        amounts = [getattr(line, name) for line in self.ordered_funding_lines() for name in FundingLine.AMOUNTS]
        return not self.indicators.all() and not any(amounts)

    def evidenced_positions(self) -> frozenset:
        """Positions of the indicators with evidence attached: a file, or a survey's sample size and method."""
        return frozenset(item.position for item in self.evidence.all() if item.position is not None)

    def reused_texts(self) -> tuple:
        """The stored W_TEXT_REUSED findings (evaluations.reuse keeps them current) as scoring.ReusedText."""
        prefetched = "text_reuses" in getattr(self, "_prefetched_objects_cache", {})
        rows = self.text_reuses.all() if prefetched else self.text_reuses.select_related("similar_to__project__unit")
        return tuple(found.as_figures() for found in rows)

    def plausibility_inputs(self, reused: tuple | None = None) -> tuple:
        """What the §6 checks need besides the figures: the evidenced indicators, the reused texts (`reused`
        when the caller found them for a form not saved yet) and the department's tuning of the flags."""
        # A form about to be created has its project but not yet the department save() copies from it.
        tuning = (self.department if self.department_id else self.project.unit.department).flag_tuning()
        if self.pk is None:
            return frozenset(), reused or (), tuning
        return self.evidenced_positions(), self.reused_texts() if reused is None else reused, tuning

    def flags(self) -> list[scoring.Flag]:
        """The rules' flags, except on what is not filled in yet (an empty cell is missing, not wrong), and the
        flags of other apps' checks (evaluations.form_checks)."""
        if self.is_blank():
            return []
        if self.source == self.Source.IMPORT:
            # Judged as printed, as when it was imported: the queue's cached flags say the same.
            figures = self.judged_figures()
            return scoring.flags_for(figures, scoring_rules(), *self.plausibility_inputs()) + form_checks.flags(self, figures)
        figures = self.figures()
        unfinished = {indicator.position for indicator in self.indicators.all() if indicator.blank_cells()}
        funding_unfinished = any(line.blank_cells() for line in self.ordered_funding_lines())
        return [
            flag for flag in scoring.flags_for(figures, scoring_rules(), *self.plausibility_inputs())
            if flag.indicator not in unfinished and not (funding_unfinished and flag.place == "funding")
        ] + form_checks.flags(self, figures)

    def ordered_funding_lines(self) -> list["FundingLine"]:
        return sorted(self.funding_lines.all(), key=lambda line: (
            line.position, scoring.FUNDING_KINDS.index(line.kind) if line.kind else len(scoring.FUNDING_KINDS)))

    def flags_by_place(self):
        """(form flags, funding flags, {indicator position: flags}) for showing each flag at its cell."""
        form, funding, by_indicator = [], [], {}
        for flag in self.flags():
            if flag.indicator is not None:
                by_indicator.setdefault(flag.indicator, []).append(flag)
            elif flag.place == "funding":
                funding.append(flag)
            else:
                form.append(flag)
        return form, funding, by_indicator

    def rescore(self, save=True, figures: scoring.FormFigures | None = None, reused: tuple | None = None):
        """Refresh the derived total, grade and flag summary from the rows (or from `figures`, when the
        caller holds the figures the rows are being written from; and `reused`, the reused texts found
        for a form not saved yet)."""
        rules = scoring_rules()
        if figures is None:  # from the rows, which may still have cells to fill in
            figures, flags, complete = self.figures(), self.flags(), not self.missing()
        else:  # figures read from a printed form: scored unless it left scores to the reviewer
            flags = scoring.flags_for(figures, rules, *self.plausibility_inputs(reused)) + form_checks.flags(self, figures)
            complete = all(indicator.score is not None for indicator in figures.indicators)
        computed = scoring.compute(figures, rules)
        # An unfinished form has no total or grade yet: it is not a failing form.
        self.computed_total = computed.total if complete else None
        self.computed_grade = computed.grade if complete else ""
        self.error_count = sum(f.severity == scoring.ERROR for f in flags)
        self.warning_count = sum(f.severity == scoring.WARNING for f in flags)
        self.flag_codes = " ".join(sorted({f.code for f in flags}))
        total_line = next((line for line in figures.funding if line.kind == FundingLine.Kind.TOTAL), None)
        self.total_budget = total_line.budget_full_year if total_line else None
        self.total_executed = total_line.executed if total_line else None
        if save:
            self.save(update_fields=["computed_total", "computed_grade", "error_count", "warning_count", "flag_codes",
                                     "total_budget", "total_executed"])
        return flags

    def has_flag(self, code: str) -> bool:
        return code in self.flag_codes.split()

    @staticmethod
    def flagged_with(code: str) -> Q:
        """Matches evaluations whose cached flag_codes hold `code` as a whole code, so lists filter in SQL."""
        return Q(flag_codes__regex=rf"(^| ){re.escape(code)}( |$)")

    def is_editable_by_staff(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def funding_rows_the_entry_page_lacks(self) -> list[str]:
        """Printed labels of funding rows imported from another template with no counterpart among the four
        kinds: the entry page cannot show them, so a save from it would drop them."""
        return [line.label for line in self.funding_lines.all() if line.kind is None]

    @transaction.atomic
    def replace_figures(self, figures: scoring.FormFigures, user=None):
        """Make the funding lines and indicators those of `figures`.

        Rows are updated in place (funding lines matched by kind, indicators by position) so the
        history holds each changed field before and after; rows no longer there are deleted and new
        ones created. Every history row is attributed to `user` (or to the signed-in user of the request).
        """
        _write_rows_over(
            FundingLine,
            {line.row_key(): line for line in self.funding_lines.all()},
            {row.row_key(): row for row in (
                FundingLine.from_figures(self, line, position) for position, line in enumerate(figures.funding, start=1))},
            user,
        )
        _write_rows_over(
            Indicator,
            {indicator.position: indicator for indicator in self.indicators.all()},
            {
                position: Indicator.from_figures(self, position, indicator)
                for position, indicator in enumerate(figures.indicators, start=1)
            },
            user,
        )
        self.declared_total = figures.declared_total
        self.declared_grade = figures.declared_grade
        # Drop any prefetched rows so rescore() reads what was just written.
        getattr(self, "_prefetched_objects_cache", {}).clear()
        form_checks.refresh_later_forms([self])


def _write_rows_over(model, current: dict, wanted: dict, user):
    """Turn the saved rows `current` into the unsaved `wanted` (both keyed alike), with history for each change."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "evaluation"]
    changed = []
    for key, row in current.items():
        if key not in wanted:
            if user is not None:
                row._history_user = user
            row.delete()
        elif any(getattr(row, name) != getattr(wanted[key], name) for name in fields):
            for name in fields:
                setattr(row, name, getattr(wanted[key], name))
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, model, fields, default_user=user)
    added = [row for key, row in wanted.items() if key not in current]
    if added:
        bulk_create_with_history(added, model, default_user=user)


class FundingLine(models.Model):
    """A line of 项目资金 (万元): one of the four kinds, or (imported from another template) a row with
    no counterpart among them, kept under its printed label."""

    class Kind(models.TextChoices):
        TOTAL = "total", "年度资金总额"
        CURRENT_YEAR = "current_year", "其中：当年财政拨款"
        CARRYOVER = "carryover", "上年结转资金"
        OTHER = "other", "其他资金"

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="funding_lines", verbose_name="自评表")
    # Empty for a row of another template that means none of the four (财政专户管理资金, 单位资金).
    kind = models.CharField("资金类别", max_length=20, choices=Kind.choices, null=True, blank=True)
    label = models.CharField("栏目名称（印出的）", max_length=100, blank=True, default="")
    # Printed order of an imported form's rows; 0 for rows entered in the browser (ordered by kind).
    position = models.PositiveSmallIntegerField("行序", default=0, editable=False)
    # Empty in a draft until typed in (figures() counts an empty amount as 0).
    budget_initial = models.DecimalField("年初预算数", null=True, blank=True, **MONEY)
    budget_full_year = models.DecimalField("全年预算数", null=True, blank=True, **MONEY)
    executed = models.DecimalField("全年执行数", null=True, blank=True, **MONEY)
    weight = models.DecimalField("分数", null=True, blank=True, **POINTS)
    declared_rate = models.DecimalField("执行率(%)（填报）", null=True, blank=True, **RATE)
    declared_score = models.DecimalField("得分（填报）", null=True, blank=True, **POINTS)

    history = HistoricalRecords(verbose_name="项目资金变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "项目资金"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "kind"], name="funding_line_unique_kind"),
            models.CheckConstraint(
                condition=Q(budget_initial__gte=0) & Q(budget_full_year__gte=0) & Q(executed__gte=0),
                name="funding_amounts_non_negative",
            ),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gte=0), name="funding_weight_non_negative"),
            models.CheckConstraint(condition=Q(kind__isnull=True) | Q(kind__in=scoring.FUNDING_KINDS),
                                   name="funding_kind_known"),
        ]

    def __str__(self):
        return self.shown_label

    @property
    def shown_label(self) -> str:
        """The row's label as printed on the form it came from, else its kind's."""
        return self.label or self.get_kind_display() or ""

    AMOUNTS = ("budget_initial", "budget_full_year", "executed")

    def blank_cells(self) -> list[str]:
        return [self._meta.get_field(name).verbose_name for name in self.AMOUNTS if getattr(self, name) is None]

    def figures(self) -> scoring.FundingFigures:
        return scoring.FundingFigures(
            kind=self.kind,
            budget_initial=_counted(self.budget_initial),
            budget_full_year=_counted(self.budget_full_year),
            executed=_counted(self.executed),
            weight=self.weight,
            rate=self.declared_rate,
            score=self.declared_score,
            label=self.label,
        )

    @staticmethod
    def values_from_figures(evaluation, line: scoring.FundingFigures, position: int = 0) -> dict:
        return {
            "evaluation": evaluation,
            "kind": line.kind,
            "label": line.label,
            "position": position,
            "budget_initial": line.budget_initial,
            "budget_full_year": line.budget_full_year,
            "executed": line.executed,
            "weight": line.weight,
            "declared_rate": line.rate,
            "declared_score": line.score,
        }

    @classmethod
    def from_figures(cls, evaluation, line: scoring.FundingFigures, position: int = 0):
        return cls(**cls.values_from_figures(evaluation, line, position))

    def row_key(self):
        """What matches a stored row to the form's row that replaces it: its kind, else its label."""
        return self.kind or ("label", self.label)

    def computed_rate(self) -> Decimal | None:
        if self.executed is None or self.budget_full_year is None:
            return None
        return scoring.execution_rate(self.executed, self.budget_full_year, scoring_rules())


def _counted(amount: Decimal | None) -> Decimal:
    """An amount not typed in yet counts as 0 in the arithmetic (and is listed by Evaluation.missing())."""
    return scoring.ZERO if amount is None else amount


class Indicator(models.Model):
    """One row of 绩效指标: 一级 / 二级 / 三级, target, actual, weight, score."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="indicators", verbose_name="自评表")
    position = models.PositiveSmallIntegerField("序号")
    level1 = models.CharField("一级指标", max_length=20)
    level2 = models.CharField("二级指标", max_length=20)
    name = models.CharField("三级指标", max_length=300)
    target = models.CharField("年度指标值", max_length=1000)
    actual = models.CharField("实际完成值", max_length=1000)
    # Empty in a draft until typed in (figures() counts an empty one as 0).
    weight = models.DecimalField("分值", null=True, blank=True, **POINTS)
    score = models.DecimalField("得分", null=True, blank=True, **POINTS)
    deviation = models.TextField("偏差原因分析及改进措施", blank=True)

    history = HistoricalRecords(verbose_name="绩效指标变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "绩效指标"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "position"], name="indicator_unique_position"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicator_weight_non_negative"),
        ]

    def __str__(self):
        return self.name

    REQUIRED = ("level1", "level2", "name", "target", "actual", "weight", "score")

    def blank_cells(self) -> list[str]:
        """The labels of the cells the rules need that are still empty."""
        return [
            self._meta.get_field(name).verbose_name for name in self.REQUIRED if getattr(self, name) in (None, "")
        ]

    def figures(self) -> scoring.IndicatorFigures:
        return scoring.IndicatorFigures(
            level1=self.level1,
            level2=self.level2,
            name=self.name,
            target=self.target,
            actual=self.actual,
            weight=_counted(self.weight),
            score=_counted(self.score),
            deviation=self.deviation,
        )

    @staticmethod
    def values_from_figures(evaluation, position: int, indicator: scoring.IndicatorFigures) -> dict:
        return {
            "evaluation": evaluation,
            "position": position,
            "level1": indicator.level1,
            "level2": indicator.level2,
            "name": indicator.name,
            "target": indicator.target,
            "actual": indicator.actual,
            "weight": indicator.weight,
            "score": indicator.score,
            "deviation": indicator.deviation,
        }

    @classmethod
    def from_figures(cls, evaluation, position: int, indicator: scoring.IndicatorFigures):
        return cls(**cls.values_from_figures(evaluation, position, indicator))

    def suggested_score(self) -> Decimal | None:
        return scoring.suggested_score(self.figures(), scoring_rules())

    def is_quantitative(self) -> bool:
        return scoring.parse_target(self.target) is not None


def form_label(project_name: str, unit_name: str, year: int) -> str:
    """How a flag names another form."""
    return f"《{project_name}》（{unit_name}，{year}年度）"


class TextReuse(models.Model):
    """A text of an evaluation nearly the same as one of another form (W_TEXT_REUSED); kept by evaluations.reuse."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="text_reuses", verbose_name="自评表")
    position = models.PositiveSmallIntegerField("指标序号", null=True, blank=True, help_text="空：实际完成情况")
    similar_to = models.ForeignKey(Evaluation, models.CASCADE, related_name="+", verbose_name="相似的自评表")
    similar_position = models.PositiveSmallIntegerField("相似的指标序号", null=True, blank=True)
    similarity = models.DecimalField("相似度(%)", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "文字雷同"
        ordering = ["evaluation", "position"]
        indexes = [models.Index(fields=["similar_to"])]

    def __str__(self):
        return f"{self.evaluation_id} ≈ {self.similar_to_id}"

    def as_figures(self) -> scoring.ReusedText:
        other = self.similar_to
        return scoring.ReusedText(self.position, form_label(other.project.name, other.project.unit.name, other.year),
                                  self.similar_position, self.similarity)


def evidence_path(evidence, filename):
    """Where a file is stored: a random name keeping only the type's extension; what it was called is kept
    in original_name, so nothing a user typed becomes a path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """佐证材料 of a form or of one of its indicators: a file, or (for a 满意度 indicator) a survey's sample
    size and method. Added and removed by evaluations.evidence, each with its WorkflowEvent."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="evidence", verbose_name="自评表")
    position = models.PositiveSmallIntegerField("指标序号", null=True, blank=True, help_text="空：整张表的材料")
    file = models.FileField("文件", upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sample_size = models.PositiveIntegerField("样本量", null=True, blank=True)
    survey_method = models.CharField("调查方式", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="佐证材料变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["position", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | (Q(sample_size__gt=0) & ~Q(survey_method="")), name="evidence_file_or_survey"),
        ]

    def __str__(self):
        return self.original_name or f"样本量 {self.sample_size}，{self.survey_method}"

    def get_absolute_url(self):
        return reverse("evidence_download", args=[self.pk])


class SpotCheckDraw(models.Model):
    """A random sample of a department's forms of one year, drawn to be spot-checked (抽评); kept as drawn."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="spot_check_draws", verbose_name="主管部门")
    year = models.PositiveSmallIntegerField("年度")
    size = models.PositiveIntegerField("抽取份数")
    population = models.PositiveIntegerField("可抽份数")
    evaluations = models.ManyToManyField(Evaluation, related_name="spot_check_draws", verbose_name="抽中的自评表")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="抽取人")
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽评抽样"
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"{self.year}年度 抽取 {self.size} 份"


class SpotCheck(models.Model):
    """A reviewer's re-scoring of a form (抽评): their own score per indicator and total, with a comment, kept
    apart from the staff's figures. One per form; re-scoring changes it (history keeps each version)."""

    evaluation = models.OneToOneField(Evaluation, models.CASCADE, related_name="spot_check", verbose_name="自评表")
    scores = models.JSONField("各指标抽评得分", default=dict, help_text="{指标序号: 得分}")
    funding_score = models.DecimalField("预算执行得分（抽评）", **POINTS)
    total = models.DecimalField("抽评总分", **POINTS)
    self_total = models.DecimalField("当时的自评总分", null=True, blank=True, **POINTS)
    comment = models.TextField("抽评意见", max_length=2000)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="抽评人")
    checked_at = models.DateTimeField("抽评时间", auto_now=True)

    history = HistoricalRecords(verbose_name="抽评变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "抽评"

    def __str__(self):
        return f"抽评 {self.total}（{self.evaluation_id}）"

    def score_at(self, position: int) -> Decimal | None:
        value = self.scores.get(str(position))
        return None if value is None else Decimal(value)


class WorkflowEvent(models.Model):
    """One workflow action on an evaluation; written in the transaction of the change it records."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        SAVE = "save", "保存"
        SUBMIT = "submit", "提交"
        RETURN = "return", "退回"
        APPROVE = "approve", "审核通过"
        UNAPPROVE = "unapprove", "撤销审核"
        IMPORT = "import", "导入"
        FINANCE_RETURN = "fin_return", "财政局退回"
        ACCEPT = "accept", "财政局接收"
        UNACCEPT = "unaccept", "撤销接收"
        ATTACH = "attach", "添加佐证材料"
        DETACH = "detach", "删除佐证材料"
        SPOT_CHECK = "spotcheck", "抽评"
        DRAWN = "drawn", "抽中抽评"

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="events", verbose_name="自评表")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=Evaluation.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Evaluation.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="操作人")
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "流程记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.evaluation_id}"


class ReviewComment(models.Model):
    """The append-only comment thread of an evaluation."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="comments", verbose_name="自评表")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="作者")
    text = models.TextField("内容", max_length=2000)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:30]


class DepartmentYear(models.Model):
    """A department's year as the finance bureau sees it: when its forms are due, and whether it accepted them.

    Accepting locks every form of the year for the department too (status 财政局已接收); only an explicit,
    commented un-accepting opens them again (evaluations.workflow)."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="years", verbose_name="主管部门")
    year = models.PositiveSmallIntegerField("年度")
    due_date = models.DateField("报送截止日期", null=True, blank=True)
    accepted_at = models.DateTimeField("财政局接收时间", null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, editable=False,
                                    related_name="+", verbose_name="接收人")
    history = HistoricalRecords(verbose_name="部门年度变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "部门年度"
        ordering = ["-year", "department__name"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="department_year_unique")]

    def __str__(self):
        return f"{self.department}（{self.year}年度）"


class UnitYearTally(models.Model):
    """A unit's year in figures, kept so the finance bureau's pages sum 2,000 rows instead of counting a
    province's 100,000 forms. Never incremented: evaluations.tallies recounts it from the unit's forms in the
    transaction of every change, so a figure that was ever wrong is right again at the next change.

    Counts per status; first submissions after the due date (late) and forms never submitted (overdue once the
    due date has passed: judged when read); last year's projects with no form this year (missing). The rest
    counts only what has reached the finance bureau (approved or accepted), as its dashboard shows it."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="+", verbose_name="主管部门")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="tallies", verbose_name="实施单位")
    year = models.PositiveSmallIntegerField("年度")
    status_draft = models.PositiveIntegerField("草稿", default=0)
    status_submitted = models.PositiveIntegerField("已提交", default=0)
    status_returned = models.PositiveIntegerField("已退回", default=0)
    status_approved = models.PositiveIntegerField("已通过", default=0)
    status_accepted = models.PositiveIntegerField("财政局已接收", default=0)
    late = models.PositiveIntegerField("逾期提交", default=0)
    unsubmitted = models.PositiveIntegerField("从未提交", default=0)
    missing = models.PositiveIntegerField("未建表", default=0)
    # Of the approved and accepted forms: per grade (scoring.GRADES), per total bin (tallies.TOTAL_BINS).
    grade_0 = models.PositiveIntegerField(default=0)
    grade_1 = models.PositiveIntegerField(default=0)
    grade_2 = models.PositiveIntegerField(default=0)
    grade_3 = models.PositiveIntegerField(default=0)
    total_bin_0 = models.PositiveIntegerField(default=0)
    total_bin_1 = models.PositiveIntegerField(default=0)
    total_bin_2 = models.PositiveIntegerField(default=0)
    total_bin_3 = models.PositiveIntegerField(default=0)
    total_bin_4 = models.PositiveIntegerField(default=0)
    total_bin_5 = models.PositiveIntegerField(default=0)
    budgeted = models.PositiveIntegerField("有预算数的表", default=0)
    budget = models.DecimalField("全年预算数合计", max_digits=18, decimal_places=2, default=0)
    executed = models.DecimalField("全年执行数合计", max_digits=18, decimal_places=2, default=0)
    flags = models.JSONField("各标记的表数", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "单位年度统计"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_year_tally_unique")]
        indexes = [models.Index(fields=["year", "department"], name="unit_year_tally_department")]

    def __str__(self):
        return f"{self.unit}（{self.year}年度）"


class Notification(models.Model):
    """Something a user should act on, written in the transaction of the change that caused it."""

    class Kind(models.TextChoices):
        RETURNED = "returned", "退回给您"
        SUBMITTED = "submitted", "提交给您"
        FINANCE_RETURNED = "fin_return", "财政局退回"
        ACCEPTED = "accepted", "财政局已接收"
        UNACCEPTED = "unaccepted", "财政局撤销接收"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications",
                                  verbose_name="收件人")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, null=True, blank=True, related_name="+",
                                   verbose_name="自评表")
    text = models.CharField("内容", max_length=500)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text


class PageChange(models.Model):
    """A transaction's changes of what a department's pages show (scope: the department's id), or of what
    every page may show (scope 0): one row per transaction and scope, counting the statements that wrote.
    Database triggers on every table the pages read keep these rows in the writing transaction itself
    (evaluations/kept_pages.py): a page drawn earlier is sent again only while they are as they were."""

    PROVINCE = 0

    scope = models.BigIntegerField("范围")
    statements = models.BigIntegerField("写入语句数", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "页面数据变更"
        indexes = [models.Index(fields=["scope", "id"], name="page_change_scope")]
