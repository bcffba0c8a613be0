"""Every change of a target table: one function each, one transaction, its TargetEvent inside it.

Each function locks the table row first, so two people acting at once get exactly one change; the
other gets a TargetError with a Chinese message. `expected_version` refuses acting on a table that
changed since the person's page was drawn. Approved tables are locked: nothing here changes them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from evaluations import entry as evaluation_entry
from evaluations import scoring
from evaluations import workflow as evaluation_workflow
from evaluations.models import Department, Evaluation, Project, Unit, WorkflowEvent, scoring_rules
from importer import loader
from importer.target_reader import BUDGET_FIELDS as READ_BUDGET_FIELDS
from targets.models import (MonitoringProgress, MonitoringReport, TargetChangeReason, TargetEvent, TargetIndicator,
                            TargetTable)

Status = TargetTable.Status
Action = TargetEvent.Action
BUDGET_FIELDS = tuple(READ_BUDGET_FIELDS.values())  # budget, budget_current_year, budget_other


class TargetError(Exception):
    """A change that is not allowed now; the message is for the user."""


@dataclass
class IndicatorValues:
    level1: str
    level2: str
    name: str
    target: str
    weight: Decimal


def _locked(table, expected_version=None) -> TargetTable:
    return evaluation_workflow.lock(TargetTable.objects.select_related("project"), table.pk, expected_version,
                                    "绩效目标表", TargetError)


def _require_status(table, allowed, doing):
    evaluation_workflow.require_status(table, allowed, doing, "绩效目标表", TargetError)


def _record(table, action, actor, from_status, comment=""):
    return TargetEvent.objects.create(table=table, action=action, from_status=from_status, to_status=table.status,
                                      actor=actor, comment=comment)


def _move(table, action, to_status, actor, comment=""):
    from_status = table.status
    table.status = to_status
    table.version += 1
    table._history_user = actor
    table._change_reason = action.label
    table.save(update_fields=["status", "version", "updated_at"])
    return _record(table, action, actor, from_status, comment)


@transaction.atomic
def create_table(unit, year, actor, project=None, project_name="") -> TargetTable:
    """A new, empty draft target table of a project of `unit` (the project is created when new)."""
    project = project or Project.objects.get_or_create(unit=unit, name=project_name)[0]
    table = TargetTable(project=project, year=year)
    table._history_user = actor
    try:
        with transaction.atomic():
            table.save()
    except IntegrityError:
        raise TargetError(f"“{project.name}”{year}年度的绩效目标表已经存在，不能重复新建。") from None
    _record(table, Action.CREATE, actor, "")
    return table


@transaction.atomic
def save_table(table, version, goal, budgets: dict, indicators: list[IndicatorValues], actor) -> TargetTable:
    """Write the page's content if the table is still in staff's hands and still at `version`."""
    table = _locked(table)
    _require_status(table, (Status.DRAFT, Status.RETURNED), "修改")
    if table.version != version:
        raise TargetError(
            f"保存失败：您打开此页后，该绩效目标表已被他人修改并保存（现为第 {table.version} 版，您的页面是第 {version} 版）。"
            "请在新窗口打开最新内容核对后再修改。"
        )
    _write(table, goal, budgets, indicators, actor)
    _record(table, Action.SAVE, actor, table.status)
    return table


def _write(table, goal, budgets: dict, indicators: list[IndicatorValues], actor) -> None:
    """The table's goal, funds and indicator rows as given: changed rows saved, the others left alone."""
    table.goal = goal
    for name, value in budgets.items():
        setattr(table, name, value)
    table.version += 1
    table._history_user = actor
    table.save()
    current = {row.position: row for row in table.indicators.all()}
    wanted = {position: values for position, values in enumerate(indicators, start=1)}
    fields = list(IndicatorValues.__dataclass_fields__)
    for position, row in current.items():
        if position not in wanted:
            row._history_user = actor
            row.delete()
        elif any(getattr(row, name) != getattr(wanted[position], name) for name in fields):
            for name in fields:
                setattr(row, name, getattr(wanted[position], name))
            row._history_user = actor
            row.save()
    added = [TargetIndicator(table=table, position=position, **vars(values))
             for position, values in wanted.items() if position not in current]
    if added:
        bulk_create_with_history(added, TargetIndicator, default_user=actor)


def content(table) -> tuple:
    """The goal, the funds and the indicator rows of a TargetTable or of a table read by importer.target_reader."""
    rows = table.indicators.all() if isinstance(table, TargetTable) else table.indicators
    return (table.goal, {name: getattr(table, name) for name in BUDGET_FIELDS},
            [IndicatorValues(row.level1, row.level2, row.name, row.target, row.weight) for row in rows])


def _same_content(table, parsed) -> bool:
    """Equal but for white space in the texts: a PDF wraps a long goal where the page has no break."""
    def despaced(value):
        if isinstance(value, str):
            return "".join(value.split())
        if isinstance(value, IndicatorValues):
            return despaced(list(vars(value).values()))
        if isinstance(value, dict):
            return {key: despaced(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [despaced(item) for item in value]
        return value
    return despaced(content(table)) == despaced(content(parsed))


# An import creates target tables and updates those still in staff's hands (keeping their status); a
# table with the reviewer or approved is not the importer's to change.
IMPORT_REFUSALS = {
    Status.SUBMITTED: "已提交、正在审核，不能用导入修改；如需修改请审核人先退回。",
    Status.APPROVED: "已批准，已锁定，不能用导入修改。",
}


@dataclass
class ImportResult:
    outcome: str  # importer.loader's CREATED, UPDATED, UNCHANGED or REFUSED
    table: TargetTable | None
    message: str = ""


def _find(parsed, lock=False) -> TargetTable | None:
    tables = TargetTable.objects.filter(
        project__unit__department__name=parsed.department, project__unit__name=parsed.unit,
        project__name=parsed.project_name, year=parsed.year,
    ).select_related("project")
    if lock:
        tables = tables.select_for_update(of=("self",))
    return tables.first()


def import_outcome(parsed, table=None) -> ImportResult:
    """What import_table would do with a table read by importer.target_reader, writing nothing."""
    table = table or _find(parsed)
    if table is None:
        return ImportResult(loader.CREATED, None)
    if _same_content(table, parsed):
        return ImportResult(loader.UNCHANGED, table)
    if table.status not in (Status.DRAFT, Status.RETURNED):
        return ImportResult(loader.REFUSED, table,
                            f"{parsed.project_name}（{parsed.year}年度）绩效目标表{IMPORT_REFUSALS[table.status]}")
    return ImportResult(loader.UPDATED, table)


def import_table(parsed, actor, source: str) -> ImportResult:
    """Create or update the target table read by importer.target_reader, whole or not at all; `source`
    (the file and its lines or pages) goes into the TargetEvent. New tables arrive submitted, as a
    form handed in on paper does; drafts and returned tables stay in staff's hands."""
    try:
        return _import_table(parsed, actor, source)
    except IntegrityError:
        # The same new table was created by another import at the same moment: import over it.
        return _import_table(parsed, actor, source)


@transaction.atomic
def _import_table(parsed, actor, source) -> ImportResult:
    result = import_outcome(parsed, _find(parsed, lock=True))
    if result.outcome in (loader.UNCHANGED, loader.REFUSED):
        return result
    goal, budgets, indicators = content(parsed)
    table = result.table
    if table is None:
        department, _ = Department.objects.get_or_create(name=parsed.department)
        unit, _ = Unit.objects.get_or_create(department=department, name=parsed.unit)
        project, _ = Project.objects.get_or_create(unit=unit, name=parsed.project_name)
        table = TargetTable(project=project, year=parsed.year, status=Status.SUBMITTED, version=0)
        from_status = ""
    else:
        from_status = table.status
    _write(table, goal, budgets, indicators, actor)
    _record(table, Action.IMPORT, actor, from_status, f"{loader.OUTCOME_LABELS[result.outcome]}：{source}")
    return ImportResult(result.outcome, table)


def submission_problems(table) -> list[str]:
    problems = []
    indicators = list(table.indicators.all())
    if not table.goal.strip():
        problems.append("尚未填写年度总体目标。")
    if not indicators:
        problems.append("尚未填写绩效指标。")
    categories = {indicator.level1 for indicator in indicators}
    missing = [category for category in scoring.REQUIRED_CATEGORIES if category not in categories]
    if indicators and missing:
        problems.append("缺少" + "、".join(missing) + "。")
    funding_weight = scoring_rules().funding_weight.quantize(scoring.CENT)
    expected = (scoring.HUNDRED - funding_weight).quantize(scoring.CENT)
    total = sum((indicator.weight for indicator in indicators), Decimal("0.00"))
    if indicators and total != expected:
        problems.append(f"指标分值合计为 {total}，应为 {expected}（预算执行占 {funding_weight} 分）。")
    return problems


@transaction.atomic
def submit(table, actor, expected_version=None) -> TargetTable:
    table = _locked(table, expected_version)
    _require_status(table, (Status.DRAFT, Status.RETURNED), "提交")
    problems = submission_problems(table)
    if problems:
        raise TargetError("不能提交：" + "".join(problems))
    _move(table, Action.SUBMIT, Status.SUBMITTED, actor)
    return table


@transaction.atomic
def return_for_revision(table, actor, comment: str, expected_version=None) -> TargetTable:
    comment = comment.strip()
    if not comment:
        raise TargetError("退回时必须填写退回意见。")
    table = _locked(table, expected_version)
    _require_status(table, (Status.SUBMITTED,), "退回")
    _move(table, Action.RETURN, Status.RETURNED, actor, comment)
    return table


@transaction.atomic
def approve(table, actor, comment: str = "", expected_version=None) -> TargetTable:
    table = _locked(table, expected_version)
    _require_status(table, (Status.SUBMITTED,), "批准")
    _move(table, Action.APPROVE, Status.APPROVED, actor, comment.strip())
    # A self-evaluation of the year that exists already is now compared with these targets: refresh its flags.
    for evaluation in Evaluation.objects.filter(project=table.project, year=table.year):
        evaluation.rescore()
    return table


@transaction.atomic
def start_evaluation(table, actor) -> Evaluation:
    """The self-evaluation of the table's project and year, its indicator rows prefilled from the approved
    targets (name, target, weight); staff fill in actuals, scores and explanations."""
    table = _locked(table)
    _require_status(table, (Status.APPROVED,), "据此新建自评表（绩效目标表须先经批准）")
    try:
        evaluation = evaluation_entry.start_evaluation(table.project.unit, table.year, actor, project=table.project)
    except evaluation_entry.EntryRefused as refused:
        raise TargetError(str(refused)) from None
    evaluation.goal_expected = table.goal
    evaluation._history_user = actor
    evaluation.save(update_fields=["goal_expected"])
    evaluation.replace_figures(prefilled_figures(table), actor)
    evaluation.rescore()
    _record(table, Action.START_EVALUATION, actor, table.status, comment=f"自评表 {evaluation.pk}")
    return evaluation


def prefilled_figures(table) -> scoring.FormFigures:
    """A form with no funding yet and the approved indicators, actual and score still empty (score 0)."""
    return scoring.FormFigures(funding=[], indicators=[
        scoring.IndicatorFigures(row.level1, row.level2, row.name, row.target, "", row.weight, Decimal("0.00"))
        for row in table.indicators.all()
    ])


@transaction.atomic
def state_reasons(evaluation, reasons: dict[str, str], actor) -> None:
    """Keep staff's reasons for departing from the approved targets, keyed by compare.Difference.key;
    an empty reason removes one. Only while the evaluation is theirs to edit."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation.is_editable_by_staff():
        raise TargetError(f"该自评表{evaluation.get_status_display()}，不能再修改调整理由。")
    for key, reason in reasons.items():
        reason = reason.strip()
        current = TargetChangeReason.objects.filter(evaluation=evaluation, key=key).first()
        if not reason:
            if current is not None:
                current._history_user = actor
                current.delete()
            continue
        if current is None:
            current = TargetChangeReason(evaluation=evaluation, key=key)
        if current.reason != reason or current.pk is None:
            current.reason, current.author = reason, actor
            current._history_user = actor
            current.save()
    evaluation.rescore()
    evaluation_workflow.record(evaluation, WorkflowEvent.Action.SAVE, actor, from_status=evaluation.status,
                               comment="填写与绩效目标不同之处的调整理由")


@transaction.atomic
def record_monitoring(table, as_of, spent, progress: dict, actor):
    """One monitoring of an approved table: money spent by `as_of`, each indicator's progress ({indicator pk: text})."""
    table = _locked(table)
    _require_status(table, (Status.APPROVED,), "填写运行监控（绩效目标表须先经批准）")
    report = MonitoringReport(table=table, as_of=as_of, spent=spent, author=actor)
    report._history_user = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise TargetError(f"{as_of} 已有监控记录。") from None
    indicators = {indicator.pk: indicator for indicator in table.indicators.all()}
    rows = [MonitoringProgress(report=report, indicator=indicators[pk], progress=text.strip())
            for pk, text in progress.items() if pk in indicators and text.strip()]
    if rows:
        bulk_create_with_history(rows, MonitoringProgress, default_user=actor)
    _record(table, Action.MONITOR, actor, table.status, comment=f"{as_of} 执行 {spent} 万元")
    return report
