"""The six published forms: every printed rate, budget score, total and grade, and exactly the spec's flags."""

from decimal import Decimal

import pytest

from evaluations import scoring
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

# SCORING.md, end: the flags of the six sample forms besides I_WEIGHT_SPLIT, as (code, indicator).
EXPECTED_FLAGS = {
    "绿色技术银行综合管理与运行": set(),
    "火灾报警系统升级改造": set(),
    "技术转移合作": {("W_UNIT_MISSING", 13), ("W_UNIT_MISSING", 14)},
    "信息化建设项目": {("W_OVERACHIEVED", 9)},
    "国内外科技合作交流": {("W_OVERACHIEVED", n) for n in (9, 10, 12, 13, 14, 21, 27)},
    "加强科技类社会组织党建工作": {("W_DEDUCTION_UNEXPLAINED", 3), ("W_UNIT_MISSING", 6)},
}
# SCORING.md §6, end: W_SCORE_AHEAD_OF_SPENDING on one form (on its funding block), and
# I_SATISFACTION_UNSUPPORTED on every 满意度 indicator of 95 % or more, none having evidence.
EXPECTED_FLAGS["国内外科技合作交流"] |= {("W_SCORE_AHEAD_OF_SPENDING", None)}
EXPECTED_FLAGS["火灾报警系统升级改造"] |= {("I_SATISFACTION_UNSUPPORTED", 6)}  # 100.00(百分比)
EXPECTED_FLAGS["技术转移合作"] |= {("I_SATISFACTION_UNSUPPORTED", 14)}  # 95.00(null)
EXPECTED_FLAGS["信息化建设项目"] |= {("I_SATISFACTION_UNSUPPORTED", 13)}  # 100.00(百分比)
FORMS = pytest.mark.parametrize("form", SAMPLE_FORMS, ids=[f["project_name"] for f in SAMPLE_FORMS])


def test_the_sample_holds_six_forms():
    assert sorted(EXPECTED_FLAGS) == sorted(f["project_name"] for f in SAMPLE_FORMS)


@FORMS
@pytest.mark.django_db
def test_every_printed_execution_rate_is_reproduced(form):
    evaluation = factory.make_sample_evaluation(form)
    for line in evaluation.funding_lines.all():
        assert line.computed_rate() == Decimal(form["funding"][line.kind][3]), line.kind


@FORMS
@pytest.mark.django_db
def test_budget_score_total_and_grade_are_reproduced(form):
    evaluation = factory.make_sample_evaluation(form)
    computed = evaluation.computed()
    assert computed.funding_score == Decimal(form["funding_score"])
    assert computed.weight_total == Decimal("100.00")
    assert computed.total == Decimal(form["total"])
    assert computed.grade == form["grade"]
    assert evaluation.computed_total == Decimal(form["total"])
    assert evaluation.computed_grade == form["grade"]


@FORMS
@pytest.mark.django_db
def test_flags_are_exactly_those_the_spec_lists(form):
    evaluation = factory.make_sample_evaluation(form)
    flags = evaluation.flags()
    assert [f.code for f in flags if f.code == "I_WEIGHT_SPLIT"] == ["I_WEIGHT_SPLIT"]
    assert {(f.code, f.indicator) for f in flags if f.code != "I_WEIGHT_SPLIT"} == EXPECTED_FLAGS[form["project_name"]]
    assert evaluation.error_count == 0
    assert evaluation.warning_count == sum(code.startswith("W_") for code, _ in EXPECTED_FLAGS[form["project_name"]])


@FORMS
def test_quantitative_scores_of_the_sample_follow_the_rule(form):
    figures = factory.sample_figures(form)
    for indicator in figures.indicators:
        suggested = scoring.suggested_score(indicator)
        if suggested is not None:
            assert suggested == indicator.score, indicator.name


def test_the_half_up_rounding_mode_would_not_reproduce_the_sample():
    half_up = scoring.Rules(rounding="half_up")
    assert scoring.execution_rate(Decimal("55.26"), Decimal("56"), half_up) == Decimal("98.68")
    assert scoring.budget_score(Decimal("94.56"), Decimal("10"), half_up) == Decimal("9.46")
    assert scoring.execution_rate(Decimal("55.26"), Decimal("56")) == Decimal("98.67")
    assert scoring.budget_score(Decimal("94.56"), Decimal("10")) == Decimal("9.45")
