"""Starting and saving an evaluation typed in the browser.

A browser-entered form declares exactly what the rules compute (execution rates, budget score,
total, grade), so only the indicator scores staff type are theirs. Each write happens in one
transaction that locks the evaluation row, checks the version the page was loaded with, and
records its WorkflowEvent.
"""

from dataclasses import replace

from django.db import IntegrityError, transaction

from evaluations import flag_help, reuse, scoring, workflow
from evaluations.models import Evaluation, Project, WorkflowEvent


class EntryRefused(Exception):
    """The save cannot happen; the message is for the user."""


class StaleVersion(EntryRefused):
    """Someone saved the evaluation after this page was loaded."""


def page_rules(rules: scoring.Rules) -> dict:
    """What static/js/entry-scoring.js needs to compute exactly like scoring.py (Decimals as strings)."""
    return {
        "rounding": rules.rounding,
        "negative_formula": rules.negative_formula,
        "tolerance": str(rules.tolerance),
        "overachieved_ratio": str(rules.overachieved_ratio),
        "score_ahead_margin": str(rules.score_ahead_margin),
        "underspent_rate": str(rules.underspent_rate),
        "satisfaction_evidence_rate": str(rules.satisfaction_evidence_rate),
        "funding_weight": str(rules.funding_weight),
        "advisory_split": [[category, str(weight)] for category, weight in rules.advisory_split],
        "levels": scoring.LEVELS,
        "required_categories": scoring.REQUIRED_CATEGORIES,
        "funding_kinds": scoring.FUNDING_KINDS,
        "funding_kind_labels": scoring.FUNDING_KIND_LABELS,
        "completion_level_labels": scoring.COMPLETION_LEVEL_LABELS,
        "notation": scoring.NOTATION,
        "flag_titles": {code: entry.title for code, entry in flag_help.FLAG_HELP.items()},
        "qualitative_bands": {
            level: [str(low), str(high), inclusive] for level, (low, high, inclusive) in scoring.QUALITATIVE_BANDS.items()
        },
    }


def entered_figures(forms, rules: scoring.Rules) -> scoring.FormFigures:
    """The figures of valid EntryForms, with every derived figure declared as computed.

    A draft's empty number cells stay None (stored empty); nothing is derived from a figure that is
    not there yet: no rate for a line with an empty amount, no total or grade for an unfinished form.
    """
    figures = scoring.FormFigures(
        funding=[scoring.FundingFigures(kind=form.kind, **form.cleaned_data) for form in forms.funding.forms],
        indicators=[scoring.IndicatorFigures(**form.cleaned_data) for form in forms.indicators.filled_forms()],
    )
    figures.funding_line("total").weight = forms.entry.cleaned_data["funding_weight"]
    if _has_empty_cells(figures):
        return replace(figures, funding=[replace(line, rate=_rate_if_complete(line, rules)) for line in figures.funding])
    return declare_computed(figures, rules)


_FUNDING_NUMBERS = ("budget_initial", "budget_full_year", "executed")
_INDICATOR_CELLS = ("level1", "level2", "name", "target", "actual", "weight", "score")


def _has_empty_cells(figures: scoring.FormFigures) -> bool:
    return (
        not figures.indicators
        or any(getattr(line, name) is None for line in figures.funding for name in _FUNDING_NUMBERS)
        or any(getattr(i, name) in (None, "") for i in figures.indicators for name in _INDICATOR_CELLS)
    )


def _rate_if_complete(line: scoring.FundingFigures, rules: scoring.Rules):
    if line.executed is None or line.budget_full_year is None:
        return None
    return scoring.execution_rate(line.executed, line.budget_full_year, rules)


def declare_computed(figures: scoring.FormFigures, rules: scoring.Rules) -> scoring.FormFigures:
    funding = [
        replace(line, rate=scoring.execution_rate(line.executed, line.budget_full_year, rules), score=None)
        for line in figures.funding
    ]
    figures = replace(figures, funding=funding)
    total = figures.funding_line("total")
    if total is not None:
        total.score = scoring.computed_funding_score(figures, rules)
    computed = scoring.compute(figures, rules)
    return replace(figures, declared_total=computed.total, declared_grade=computed.grade)


@transaction.atomic
def start_evaluation(unit, year, user, project=None, project_name="", copy_from=None) -> Evaluation:
    """Create an evaluation of a project of `unit` (created when new) and log it; scored on its first save.

    With `copy_from` (last year's evaluation of the project) it starts with that form's indicators, weights
    and targets; actuals, scores and explanations are left empty for this year.
    """
    project = project or Project.objects.get_or_create(unit=unit, name=project_name)[0]
    evaluation = Evaluation(project=project, year=year, source=Evaluation.Source.ENTRY)
    evaluation._history_user = user
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise EntryRefused(f"“{project.name}”{year}年度的自评表已经存在，不能重复新建。") from None
    if copy_from is not None:
        evaluation.replace_figures(_targets_of(copy_from), user)
    workflow.record(
        evaluation, WorkflowEvent.Action.CREATE, user,
        comment=f"指标复制自{copy_from.year}年度的自评表" if copy_from is not None else "",
    )
    return evaluation


def _targets_of(evaluation) -> scoring.FormFigures:
    """An evaluation's indicators as a new year's starting point: what was planned, not what was achieved."""
    total = next((line for line in evaluation.funding_lines.all() if line.kind == "total"), None)
    funding = [] if total is None or total.weight is None else [
        scoring.FundingFigures("total", None, None, None, weight=total.weight)]
    indicators = [
        scoring.IndicatorFigures(i.level1, i.level2, i.name, i.target, actual="", weight=i.weight, score=None)
        for i in evaluation.indicators.all()
    ]
    return scoring.FormFigures(funding=funding, indicators=indicators)


# An imported form of another template whose funding rows the entry page cannot show is kept as printed.
LACKING_ROWS_REFUSAL = "此表的项目资金中有填报页没有的栏目，在填报页保存会丢失这些栏目，所以只能查看；请在原表中修改后重新导入。"


@transaction.atomic
def save_entry(evaluation, version, figures, goal_expected, goal_actual, user) -> Evaluation:
    """Write the page's figures if the evaluation is still editable and still at `version`."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation.is_editable_by_staff():
        raise EntryRefused(f"该自评表{evaluation.get_status_display()}，不能再修改。")
    if evaluation.funding_rows_the_entry_page_lacks():
        raise EntryRefused(LACKING_ROWS_REFUSAL)
    if evaluation.version != version:
        raise StaleVersion(
            "保存失败：您打开此页后，该自评表已被他人修改并保存（现为第 "
            f"{evaluation.version} 版，您的页面是第 {version} 版）。您的输入仍在下方，尚未保存；"
            "请在新窗口打开最新内容核对，再把需要的修改填入最新版本。"
        )
    texts_before = dict(reuse.texts_of(evaluation.goal_actual, evaluation.figures()))
    evaluation.goal_expected = goal_expected
    evaluation.goal_actual = goal_actual
    evaluation.has_deviation_column = True
    evaluation.replace_figures(figures, user)
    reuse.refresh(evaluation, figures, texts_before)
    evaluation.version += 1
    evaluation._history_user = user
    evaluation.rescore(save=False)
    evaluation.save()
    workflow.record(evaluation, WorkflowEvent.Action.SAVE, user, from_status=evaluation.status)
    return evaluation
