"""抽评: a reviewer re-scores a form apart from the staff's figures, and draws random samples of forms to do it.

Each change is one function, one transaction, its audit rows inside: the SpotCheck's history and a
WorkflowEvent on the form for a re-scoring; the SpotCheckDraw itself and a WorkflowEvent on every form drawn.
"""

import secrets
from decimal import Decimal

from django.db import transaction

from evaluations import scoring
from evaluations.models import Evaluation, SpotCheck, SpotCheckDraw, WorkflowEvent, scoring_rules

Status = Evaluation.Status
# Only what staff handed in is spot-checked.
CHECKABLE = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED)


class SpotCheckRefused(Exception):
    """The spot check or draw cannot be made; the message is for the user."""


def spot_total(figures: scoring.FormFigures, scores: dict, rules: scoring.Rules) -> tuple[Decimal, Decimal]:
    """(budget score, total) of a re-scoring: the budget score as the rules compute it from the amounts, plus
    the reviewer's indicator scores; plain arithmetic."""
    funding = scoring.computed_funding_score(figures, rules)
    return funding, (funding + sum(scores.values(), Decimal("0"))).quantize(scoring.CENT)


@transaction.atomic
def record(evaluation, reviewer, scores: dict[int, Decimal], comment: str) -> SpotCheck:
    """Save `reviewer`'s scores ({indicator position: score}) and comment as the form's spot check."""
    evaluation = Evaluation.objects.select_for_update().prefetch_related("funding_lines", "indicators").get(
        pk=evaluation.pk)
    if evaluation.status not in CHECKABLE:
        raise SpotCheckRefused(f"该自评表为{evaluation.get_status_display()}，尚未提交，不能抽评。")
    comment = comment.strip()
    if not comment:
        raise SpotCheckRefused("抽评时必须填写抽评意见。")
    figures = evaluation.figures()
    weights = {position: indicator.weight for position, indicator in enumerate(figures.indicators, start=1)}
    if set(scores) != set(weights):
        raise SpotCheckRefused("每项指标都要给出抽评得分。")
    for position, score in scores.items():
        if not 0 <= score <= weights[position]:
            raise SpotCheckRefused(f"第 {position} 项指标的抽评得分应在 0 至分值 {weights[position]} 之间。")
    funding, total = spot_total(figures, scores, scoring_rules())
    check = SpotCheck.objects.filter(evaluation=evaluation).first() or SpotCheck(evaluation=evaluation)
    check.scores = {str(position): str(score.quantize(scoring.CENT)) for position, score in sorted(scores.items())}
    check.funding_score, check.total, check.self_total = funding, total, evaluation.computed_total
    check.comment, check.checked_by = comment, reviewer
    check._history_user = reviewer
    check.save()
    WorkflowEvent.objects.create(
        evaluation=evaluation, action=WorkflowEvent.Action.SPOT_CHECK, from_status=evaluation.status,
        to_status=evaluation.status, actor=reviewer,
        comment=f"抽评总分 {total}（自评 {evaluation.computed_total}）：{comment}",
    )
    return check


@transaction.atomic
def draw(reviewer, evaluations, department, year: int, size: int, rng=None) -> SpotCheckDraw:
    """Draw `size` of `evaluations` of `year` that were handed in, at random, and record the draw."""
    population = list(evaluations.filter(year=year, status__in=CHECKABLE).order_by("pk").values_list("pk", "status"))
    if not 1 <= size <= len(population):
        raise SpotCheckRefused(f"{year}年度可抽评的自评表共 {len(population)} 份，抽取份数应在 1 至 {len(population)} 之间。")
    chosen = (rng or secrets.SystemRandom()).sample(population, size)
    drawn = SpotCheckDraw.objects.create(department=department, year=year, size=size, population=len(population),
                                           drawn_by=reviewer)
    drawn.evaluations.set(pk for pk, _ in chosen)
    WorkflowEvent.objects.bulk_create([
        WorkflowEvent(evaluation_id=pk, action=WorkflowEvent.Action.DRAWN, from_status=status, to_status=status,
                      actor=reviewer, comment=f"{year}年度抽评抽样（第 {drawn.pk} 次，{size}/{len(population)} 份）")
        for pk, status in chosen
    ])
    return drawn
