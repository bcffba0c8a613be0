"""The checks of SCORING.md §6 that need data beyond the form: W_TARGET_CHANGED (the approved target table)
and W_TARGET_BELOW_LAST_ACTUAL (last year's form). Registered with evaluations.form_checks by TargetsConfig."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import reverse

from evaluations import scoring
from evaluations.flag_help import FlagHelp
from evaluations.models import Evaluation
from targets import compare
from targets.models import MonitoringProgress, TargetChangeReason, TargetTable

TARGET_CHANGED = "W_TARGET_CHANGED"
TARGET_BELOW_LAST_ACTUAL = "W_TARGET_BELOW_LAST_ACTUAL"


# Within preloaded(): {(project id, year): approved table or None} and {(project id, year): that year's form
# or None}, read for a whole batch of forms at once.
_preloaded: ContextVar[tuple[dict, dict] | None] = ContextVar("targets_preloaded", default=None)


@contextmanager
def preloaded(pairs):
    """Within, the checks of the forms of these (project id, year) pairs read approved tables and last years'
    forms from two queries for the batch, not two per form (the importer scores thousands at once)."""
    projects, years = {project for project, _ in pairs}, {year for _, year in pairs}
    tables = {key: None for key in pairs}
    for table in (TargetTable.objects.filter(project_id__in=projects, year__in=years, status=TargetTable.Status.APPROVED)
                  .prefetch_related("indicators")):
        if (table.project_id, table.year) in tables:
            tables[table.project_id, table.year] = table
    last_years = {(project, year - 1): None for project, year in pairs}
    for evaluation in (Evaluation.objects.filter(project_id__in=projects, year__in={year - 1 for year in years})
                       .prefetch_related("indicators")):
        if (evaluation.project_id, evaluation.year) in last_years:
            last_years[evaluation.project_id, evaluation.year] = evaluation
    token = _preloaded.set((tables, last_years))
    try:
        yield
    finally:
        _preloaded.reset(token)


def approved_table(project_id, year):
    preloaded_now = _preloaded.get()
    if preloaded_now is not None and (project_id, year) in preloaded_now[0]:
        return preloaded_now[0][project_id, year]
    return (TargetTable.objects.filter(project_id=project_id, year=year, status=TargetTable.Status.APPROVED)
            .prefetch_related("indicators").first())


def last_year_evaluation(project_id, year):
    preloaded_now = _preloaded.get()
    if preloaded_now is not None and (project_id, year - 1) in preloaded_now[1]:
        return preloaded_now[1][project_id, year - 1]
    return Evaluation.objects.filter(project_id=project_id, year=year - 1).prefetch_related("indicators").first()


def reported_rows(figures: scoring.FormFigures) -> list[compare.Row]:
    return [compare.Row(row.level1, row.level2, row.name, row.target, row.weight) for row in figures.indicators]


def target_differences(evaluation, figures=None) -> list[compare.Difference]:
    """How the evaluation departs from its approved target table; empty when there is none approved."""
    table = approved_table(evaluation.project_id, evaluation.year)
    if table is None:
        return []
    return compare.differences(table.rows(), reported_rows(figures or evaluation.figures()))


def stated_reasons(evaluation) -> dict[str, str]:
    if evaluation.pk is None:
        return {}  # an evaluation not created yet has no reasons
    return dict(TargetChangeReason.objects.filter(evaluation=evaluation).values_list("key", "reason"))


def below_last_actual(project_id, year, rows: list[tuple[str, str]]) -> list[compare.BelowLastActual]:
    """Rows (name, target) of `year` whose target is below last year's actual of the same indicator."""
    last = last_year_evaluation(project_id, year)
    if last is None:
        return []
    return compare.targets_below_last_actual(rows, [(row.name, row.actual) for row in last.indicators.all()], last.year)


def _at(position):
    return {"indicator": position, "place": "indicator"} if position else {"place": "form"}


class TargetChecks:
    help = {
        TARGET_CHANGED: FlagHelp(TARGET_CHANGED, scoring.WARNING, "改动绩效目标",
                                 "指标名称、指标值或分值与批准的绩效目标表不同，或删去、新增了指标。"
                                 "请核对填报人说明的调整理由是否成立。"),
        TARGET_BELOW_LAST_ACTUAL: FlagHelp(TARGET_BELOW_LAST_ACTUAL, scoring.WARNING, "目标低于上年",
                                           "正向定量指标的指标值低于同一项目上一年度同名、同单位指标的实际完成值，"
                                           "目标可能定得偏低。请核实指标设定是否合理。"),
    }

    def flags(self, evaluation, figures):
        found = []
        differences = target_differences(evaluation, figures)
        reasons = stated_reasons(evaluation) if differences else {}
        for difference in differences:
            reason = reasons.get(difference.key)
            said = f"；调整理由：{reason}" if reason else "；尚未说明调整理由"
            found.append(scoring.Flag(TARGET_CHANGED, scoring.WARNING, f"{difference.describe()}{said}。",
                                      **_at(difference.reported_position)))
        rows = [(row.name, row.target) for row in figures.indicators]
        for low in below_last_actual(evaluation.project_id, evaluation.year, rows):
            found.append(scoring.Flag(TARGET_BELOW_LAST_ACTUAL, scoring.WARNING,
                                      f"{low.describe()}（对照 {low.last_year} 年度自评表）。", **_at(low.position)))
        return found

    def submission_problems(self, evaluation, figures=None):
        """Why staff may not submit the form (with `figures` as the entry page holds them, else as stored)."""
        differences = target_differences(evaluation, figures)
        if not differences:
            return []
        reasons = stated_reasons(evaluation)
        missing = [d for d in differences if not reasons.get(d.key)]
        if not missing:
            return []
        return [f"有 {len(missing)} 处与批准的绩效目标不同，尚未说明调整理由。"]

    def links(self, evaluation):
        table = approved_table(evaluation.project_id, evaluation.year)
        if table is None:
            return []
        count = len(target_differences(evaluation))
        found = [("批准的绩效目标表", reverse("target_table", args=[table.pk]))]
        if count:
            found.insert(0, (f"与批准的绩效目标不同之处（{count} 处）：说明调整理由",
                             reverse("evaluation_target_reasons", args=[evaluation.pk])))
        return found + [("历年对比", reverse("project_years", args=[evaluation.project_id]))]

    def beside(self, evaluation):
        """Last year's figures of the indicator of the same name beside each cell, and this year's latest
        monitoring beside the actual."""
        notes = {}
        last = last_year_evaluation(evaluation.project_id, evaluation.year)
        last_rows = {compare.normalized(row.name): row for row in last.indicators.all()} if last else {}
        progress = {}
        for item in (MonitoringProgress.objects.filter(report__table__project_id=evaluation.project_id,
                                                       report__table__year=evaluation.year)
                     .select_related("report", "indicator").order_by("report__as_of")):
            progress[compare.normalized(item.indicator.name)] = item  # the latest date wins
        for indicator in evaluation.indicators.all():
            key = compare.normalized(indicator.name)
            columns = {}
            if key in last_rows:
                row = last_rows[key]
                columns = {column: f"{last.year}年：{getattr(row, column)}"
                           for column in ("target", "actual", "weight", "score")}
            if key in progress:
                item = progress[key]
                said = f"监控（{item.report.as_of:%m-%d}）：{item.progress}"
                columns["actual"] = f"{columns['actual']}；{said}" if "actual" in columns else said
            if columns:
                notes[indicator.position] = columns
        return notes

    def preloaded(self, pairs):
        return preloaded(pairs)

    def later_forms(self, evaluations):
        """Next year's form of each project: its W_TARGET_BELOW_LAST_ACTUAL reads these forms' actuals."""
        wanted = {(evaluation.project_id, evaluation.year + 1) for evaluation in evaluations}
        if not wanted:
            return []
        later = Evaluation.objects.filter(project_id__in={project for project, _ in wanted},
                                          year__in={year for _, year in wanted})
        return [evaluation for evaluation in later if (evaluation.project_id, evaluation.year) in wanted]

    def live_url(self, evaluation):
        if evaluation.pk is None:
            return None
        if approved_table(evaluation.project_id, evaluation.year) is None and \
                not Evaluation.objects.filter(project_id=evaluation.project_id, year=evaluation.year - 1).exists():
            return None
        return reverse("evaluation_target_check", args=[evaluation.pk])
