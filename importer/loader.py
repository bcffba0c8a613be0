"""Write parsed forms into the database, one transaction per form."""

from dataclasses import dataclass

from django.db import transaction

from evaluations import workflow
from evaluations.models import Department, Evaluation, Project, Unit, WorkflowEvent

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
OUTCOME_LABELS = {CREATED: "新建", UPDATED: "更新", UNCHANGED: "未变", REFUSED: "拒绝（已审核通过）"}


@dataclass
class LoadResult:
    outcome: str
    evaluation: Evaluation
    message: str = ""


def _content(form):
    return (form.figures, form.goal_expected, form.goal_actual, form.has_deviation_column)


def _stored_content(evaluation):
    return (evaluation.figures(), evaluation.goal_expected, evaluation.goal_actual, evaluation.has_deviation_column)


@transaction.atomic
def load_form(form, user=None) -> LoadResult:
    """Create or update the evaluation of one parsed form; declared figures are stored as printed."""
    department, _ = Department.objects.get_or_create(name=form.department)
    unit, _ = Unit.objects.get_or_create(department=department, name=form.unit)
    project, _ = Project.objects.get_or_create(unit=unit, name=form.project_name)
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(project=project, year=form.year)
        .prefetch_related("funding_lines", "indicators")
        .first()
    )
    if evaluation is None:
        evaluation = Evaluation(project=project, year=form.year, source=Evaluation.Source.IMPORT,
                                status=Evaluation.Status.SUBMITTED)
        outcome = CREATED
        previous_status = ""
    elif _stored_content(evaluation) == _content(form):
        return LoadResult(UNCHANGED, evaluation)
    elif evaluation.status == Evaluation.Status.APPROVED:
        return LoadResult(REFUSED, evaluation, f"{project.name}（{form.year}年度）已审核通过，不能用导入覆盖；如需修改请先撤销审核。")
    else:
        previous_status = evaluation.status
        evaluation.version += 1
        evaluation.status = Evaluation.Status.SUBMITTED
        outcome = UPDATED
    evaluation.goal_expected = form.goal_expected
    evaluation.goal_actual = form.goal_actual
    evaluation.has_deviation_column = form.has_deviation_column
    evaluation._history_user = user
    if evaluation.pk is None:
        evaluation.save()
    evaluation.replace_figures(form.figures, user)
    evaluation.rescore(save=False)
    evaluation.save()
    workflow.record(evaluation, WorkflowEvent.Action.IMPORT, user, previous_status,
                    f"{OUTCOME_LABELS[outcome]}：{form.file} 第 {form.lines[0]}–{form.lines[1]} 行")
    return LoadResult(outcome, evaluation)
