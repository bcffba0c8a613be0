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
    evaluation: Evaluation | None
    message: str = ""


def _find(form, lock=False) -> Evaluation | None:
    evaluations = Evaluation.objects.filter(
        project__unit__department__name=form.department,
        project__unit__name=form.unit,
        project__name=form.project_name,
        year=form.year,
    ).prefetch_related("funding_lines", "indicators")
    if lock:
        evaluations = evaluations.select_for_update(of=("self",))
    return evaluations.first()


def _outcome(form, evaluation) -> str:
    if evaluation is None:
        return CREATED
    stored = (evaluation.figures(), evaluation.goal_expected, evaluation.goal_actual, evaluation.has_deviation_column)
    if stored == (form.figures, form.goal_expected, form.goal_actual, form.has_deviation_column):
        return UNCHANGED
    if evaluation.status == Evaluation.Status.APPROVED:
        return REFUSED
    return UPDATED


def predict(form) -> str:
    """What load_form would do with this form now, without writing anything."""
    return _outcome(form, _find(form))


def refusal_message(form) -> str:
    return f"{form.project_name}（{form.year}年度）已审核通过，不能用导入覆盖；如需修改请先撤销审核。"


@transaction.atomic
def load_form(form, user=None) -> LoadResult:
    """Create or update the evaluation of one parsed form; declared figures are stored as printed."""
    evaluation = _find(form, lock=True)
    outcome = _outcome(form, evaluation)
    if outcome == UNCHANGED:
        return LoadResult(outcome, evaluation)
    if outcome == REFUSED:
        return LoadResult(outcome, evaluation, refusal_message(form))
    if evaluation is None:
        department, _ = Department.objects.get_or_create(name=form.department)
        unit, _ = Unit.objects.get_or_create(department=department, name=form.unit)
        project, _ = Project.objects.get_or_create(unit=unit, name=form.project_name)
        evaluation = Evaluation(project=project, year=form.year, source=Evaluation.Source.IMPORT)
        previous_status = ""
    else:
        previous_status = evaluation.status
        evaluation.version += 1
    # Imported forms were handed in on paper: they arrive as submitted, ready for review.
    evaluation.status = Evaluation.Status.SUBMITTED
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
