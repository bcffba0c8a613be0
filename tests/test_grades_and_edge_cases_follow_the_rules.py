"""Grade bands and the arithmetic at its edges: zero budgets and targets, negative indicators, over-execution."""

from decimal import Decimal as D

import pytest

from evaluations import scoring
from evaluations.scoring import Rules, Target, budget_score, execution_rate, grade_for, parse_measure, parse_target, rule_score


@pytest.mark.parametrize("total, grade", [
    ("100.00", "优"), ("90.00", "优"), ("89.99", "良"), ("80.00", "良"), ("79.99", "中"),
    ("60.00", "中"), ("59.99", "差"), ("0.00", "差"),
])
def test_grade_bands_include_their_lower_bound(total, grade):
    assert grade_for(D(total)) == grade


def test_a_zero_budget_has_rate_zero_and_never_divides():
    assert execution_rate(D("0.00"), D("0.00")) == D("0.00")
    assert execution_rate(D("3.00"), D("0.00")) == D("0.00")


def test_execution_above_100_percent_keeps_its_rate_but_caps_the_score():
    rate = execution_rate(D("120.00"), D("100.00"))
    assert rate == D("120.00")
    assert budget_score(rate, D("10")) == D("10.00")


@pytest.mark.parametrize("mode, rate, score", [("truncate", "98.67", "9.86"), ("half_up", "98.68", "9.87"), ("ceiling", "98.68", "9.87")])
def test_the_rounding_mode_is_a_setting(mode, rate, score):
    rules = Rules(rounding=mode)
    assert execution_rate(D("55.26"), D("56.00"), rules) == D(rate)
    assert budget_score(D(rate), D("10"), rules) == D(score)


def test_an_unknown_rounding_mode_is_refused():
    with pytest.raises(ValueError):
        Rules(rounding="bankers")


def test_a_zero_target_is_achieved_only_by_zero():
    target = parse_target("=0(起)")
    assert rule_score(target, D("0"), D("10.00")) == D("10.00")
    assert rule_score(target, D("1"), D("10.00")) == D("0.00")
    assert rule_score(parse_target("≤0(起)"), D("2"), D("10.00")) == D("0.00")


def test_positive_targets_score_in_proportion_and_keep_full_weight_when_exceeded():
    target = parse_target("≥90(%)")
    assert rule_score(target, D("45"), D("10.00")) == D("5.00")
    assert rule_score(target, D("89"), D("10.00")) == D("9.88")  # 9.888… cut
    assert rule_score(target, D("150"), D("10.00")) == D("10.00")


def test_negative_targets_score_target_over_actual():
    target = parse_target("≤0.30(万元/项)")
    assert target.is_negative
    assert rule_score(target, D("0.30"), D("10.00")) == D("10.00")
    assert rule_score(target, D("0.60"), D("10.00")) == D("5.00")
    assert rule_score(parse_target("<5(天)"), D("8"), D("8.00")) == D("5.00")


def test_negative_targets_can_deduct_linearly_instead():
    linear = Rules(negative_formula="linear")
    target = parse_target("≤10(天)")
    assert rule_score(target, D("12"), D("10.00"), linear) == D("8.00")
    assert rule_score(target, D("25"), D("10.00"), linear) == D("0.00")


@pytest.mark.parametrize("text, operator", [
    ("=2(场)", "="), ("＝2(场)", "="), ("≥90(%)", "≥"), (">=90(%)", "≥"), ("≧90(%)", "≥"), ("＞＝90(%)", "≥"),
    (">90(%)", ">"), ("＞90(%)", ">"), ("≤0.3(万元)", "≤"), ("<=0.3(万元)", "≤"), ("≦0.3(万元)", "≤"),
    ("<5(天)", "<"), ("＜5(天)", "<"), ("≥ 90 （%）", "≥"),
])
def test_operators_of_every_width_mean_the_same(text, operator):
    assert parse_target(text).operator == operator


def test_targets_carry_number_and_unit_and_text_is_qualitative():
    assert parse_target("≤0.30(万元/项)") == Target("≤", D("0.30"), "万元/项")
    assert parse_target("≥90(null)").unit is None
    assert parse_target("=100.00(百分比)").unit == "%"
    assert parse_target("满意") is None
    assert parse_target("举办 6 期沙龙活动") is None
    assert parse_measure("2.00(场)").value == D("2.00")
    assert parse_measure("达成指标") is None


@pytest.mark.parametrize("text, level", [
    ("达成指标", scoring.ACHIEVED), ("达成年度指标", scoring.ACHIEVED), ("达成预期指标", scoring.ACHIEVED),
    ("完成", scoring.ACHIEVED), ("部分达成指标并具有一定效果", scoring.PARTIAL), ("部分达成年度指标", scoring.PARTIAL),
    ("未达成指标且效果较差", scoring.NOT_ACHIEVED), ("未达成年度指标", scoring.NOT_ACHIEVED), ("满意", None),
])
def test_completion_levels_and_their_synonyms(text, level):
    assert scoring.completion_level(text) == level


def test_the_2021_cost_category_is_accepted():
    from tests.factory import clean_figures, indicator

    figures = clean_figures()
    figures.indicators.append(indicator("成本指标", "经济成本指标", "单位成本", "≤10(万元)", "9.00(万元)", "0.00"))
    assert "E_LEVELS" not in [f.code for f in scoring.flags_for(figures)]


@pytest.mark.parametrize("rules", [Rules(), Rules(negative_formula="linear")], ids=["ratio", "linear"])
def test_a_negative_target_value_never_divides_by_zero(rules):
    assert rule_score(parse_target("≤-5(%)"), D("0"), D("10.00"), rules) == D("0.00")
    assert rule_score(parse_target("≤-5(%)"), D("-6"), D("10.00"), rules) == D("10.00")
    assert rule_score(parse_target("≥-5(%)"), D("-8"), D("10.00"), rules) == D("0.00")
