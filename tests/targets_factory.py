"""Test builders for target tables (tests/factory.py style)."""

from decimal import Decimal

from targets import workflow
from targets.models import TargetTable
from tests import factory

D = Decimal


def target_rows(figures=None):
    """IndicatorValues of the indicators of `figures` (factory.clean_figures() by default): the targets it reports."""
    figures = figures or factory.clean_figures()
    return [workflow.IndicatorValues(row.level1, row.level2, row.name, row.target, row.weight) for row in figures.indicators]


def make_table(project=None, year=2023, rows=None, status=TargetTable.Status.DRAFT, goal="完成年度任务。",
               budget="100.00", actor=None):
    """A target table of `project` and `year`, saved through the workflow and brought to `status`."""
    project = project or factory.make_project()
    table = workflow.create_table(project.unit, year, actor, project=project)
    table = workflow.save_table(table, table.version, goal, {"budget": D(budget), "budget_current_year": D(budget),
                                                             "budget_other": D("0.00")},
                                rows if rows is not None else target_rows(), actor)
    if status in (TargetTable.Status.SUBMITTED, TargetTable.Status.APPROVED, TargetTable.Status.RETURNED):
        table = workflow.submit(table, actor)
    if status == TargetTable.Status.APPROVED:
        table = workflow.approve(table, actor)
    if status == TargetTable.Status.RETURNED:
        table = workflow.return_for_revision(table, actor, "请补充")
    return TargetTable.objects.get(pk=table.pk)
