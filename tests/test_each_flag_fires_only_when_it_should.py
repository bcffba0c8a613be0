"""Every flag code of the catalogue: one case where it fires, one close case where it does not."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from evaluations import scoring
from tests.factory import clean_figures, funding_figures, indicator


def codes(figures, rules=scoring.DEFAULT_RULES):
    return [f.code for f in scoring.flags_for(figures, rules)]


def with_indicator(position, **changes):
    figures = clean_figures()
    figures.indicators[position - 1] = replace(figures.indicators[position - 1], **changes)
    return figures


def with_total_line(**changes):
    figures = clean_figures()
    figures.funding[0] = replace(figures.funding[0], **changes)
    return figures


def test_the_clean_form_raises_nothing():
    assert codes(clean_figures()) == []


# Each case: (code, a form where it fires, a close form where it does not).
CASES = [
    ("E_EXEC_RATE", with_total_line(rate=D("99.98")), with_total_line(rate=D("99.99"))),
    ("E_FUNDING_SCORE", with_total_line(score=D("9.98")), with_total_line(score=D("9.99"))),
    (
        "E_FUNDING_SUM",
        clean_figures(funding=funding_figures("100.00", "100.00", rate="100.00", score="10.00")[:1]
                      + [replace(line, executed=D("90.00")) if line.kind == "current_year" else line
                         for line in funding_figures("100.00", "100.00", rate="100.00")[1:]]),
        clean_figures(),
    ),
    ("E_WEIGHTS", with_indicator(1, weight=D("49.00"), score=D("49.00")), clean_figures()),
    ("E_LEVELS", with_indicator(1, level2="社会效益指标"), with_indicator(1, level2="时效指标")),
    ("E_LEVELS", with_indicator(1, level1="产出"), with_indicator(1, level1="产出指标")),
    ("E_SCORE_RANGE", with_indicator(3, score=D("10.01")), with_indicator(3, score=D("10.00"))),
    ("E_SCORE_RANGE", with_indicator(3, score=D("-1.00")), with_indicator(3, score=D("9.00"), deviation="略")),
    ("E_INDICATOR_SCORE", with_indicator(1, actual="1.00(场)", score=D("50.00")),
     with_indicator(1, actual="1.00(场)", score=D("25.00"), deviation="场地原因延期一场")),
    ("E_QUALITATIVE_BAND", with_indicator(3, score=D("7.99"), deviation="略"),
     with_indicator(3, score=D("8.00"), deviation="略")),
    ("E_QUALITATIVE_BAND", with_indicator(3, actual="部分达成指标并具有一定效果", score=D("8.00"), deviation="略"),
     with_indicator(3, actual="部分达成指标并具有一定效果", score=D("7.99"), deviation="略")),
    ("E_UNSCORABLE", with_indicator(2, actual="基本完成"), with_indicator(2, actual="达成指标", score=D("30.00"))),
    ("W_DEDUCTION_UNEXPLAINED", with_indicator(3, score=D("9.00")),
     with_indicator(3, score=D("9.00"), deviation="个别活动延期，已调整计划。")),
    ("W_OVERACHIEVED", with_indicator(2, target="≥50(%)", actual="60.00(%)"),
     with_indicator(2, target="≥50(%)", actual="59.99(%)")),
    ("W_OVERACHIEVED", with_indicator(2, target="≥50(%)", actual="60.00(%)"),
     with_indicator(2, target="≥50(%)", actual="60.00(%)", deviation="年初目标保守，明年提高。")),
    ("W_UNIT_MISSING", with_indicator(2, target="≥90(null)", actual="95.00(null)"), clean_figures()),
    ("W_UNIT_MISSING", with_indicator(2, actual="95.00"), with_indicator(2, actual="95.00(百分比)")),
    ("W_UNIT_MISMATCH", with_indicator(2, actual="95.00(个)"), with_indicator(2, actual="95.00(百分比)")),
    ("W_OVER_BUDGET", clean_figures(funding=funding_figures("100.00", "100.01", rate="100.01", score="10.00")),
     clean_figures(funding=funding_figures("100.00", "100.00", rate="100.00", score="10.00"))),
    ("W_CATEGORY_MISSING",
     clean_figures(indicators=[indicator(weight="60.00"),
                               indicator("效益指标", "社会效益指标", "服务覆盖面", "≥90(%)", "95.00(%)", "30.00")]),
     clean_figures()),
    ("I_WEIGHT_SPLIT",
     clean_figures(indicators=[indicator(weight="55.00"),
                               indicator("效益指标", "社会效益指标", "服务覆盖面", "≥90(%)", "95.00(%)", "25.00"),
                               indicator("满意度指标", "服务对象满意度指标", "满意度", "满意", "达成指标", "10.00")]),
     clean_figures()),
    ("I_BUDGET_ADJUSTED", clean_figures(funding=funding_figures("100.00", "100.00", budget_initial="80.00", rate="100.00", score="10.00")),
     clean_figures()),
]
# §6: indicators scored in full need 95 % of the money spent (5 % of the score rate); 80 % is underspent.
CASES += [
    ("W_SCORE_AHEAD_OF_SPENDING", clean_figures(funding=funding_figures("100.00", "94.99", rate="94.99", score="9.49")),
     clean_figures(funding=funding_figures("100.00", "95.00", rate="95.00", score="9.50"))),
    ("W_UNDERSPENT", clean_figures(funding=funding_figures("100.00", "79.99", rate="79.99", score="7.99")),
     clean_figures(funding=funding_figures("100.00", "80.00", rate="80.00", score="8.00"))),
    ("I_SATISFACTION_UNSUPPORTED", with_indicator(3, target="≥90(%)", actual="95.00(%)"),
     with_indicator(3, target="≥90(%)", actual="94.99(%)")),
]
# E_TOTAL and E_GRADE compare declared figures with each other.
CASES += [
    ("E_TOTAL", clean_figures(declared_total=D("99.98")), clean_figures(declared_total=D("99.99"))),
    ("E_GRADE", clean_figures(declared_grade="良"), clean_figures(declared_grade="优")),
]


@pytest.mark.parametrize("code, fires, stays_quiet", CASES, ids=[c[0] for c in CASES])
def test_flag_fires_and_stays_quiet(code, fires, stays_quiet):
    assert code in codes(fires)
    assert code not in codes(stays_quiet)


def test_every_catalogue_code_has_a_case():
    catalogue = {
        "E_EXEC_RATE", "E_FUNDING_SCORE", "E_FUNDING_SUM", "E_WEIGHTS", "E_LEVELS", "E_SCORE_RANGE",
        "E_INDICATOR_SCORE", "E_QUALITATIVE_BAND", "E_UNSCORABLE", "E_TOTAL", "E_GRADE",
        "W_DEDUCTION_UNEXPLAINED", "W_OVERACHIEVED", "W_UNIT_MISSING", "W_UNIT_MISMATCH", "W_OVER_BUDGET",
        "W_CATEGORY_MISSING", "I_WEIGHT_SPLIT", "I_BUDGET_ADJUSTED",
        "W_SCORE_AHEAD_OF_SPENDING", "W_UNDERSPENT", "I_SATISFACTION_UNSUPPORTED",
    }
    assert {case[0] for case in CASES} == catalogue  # W_TEXT_REUSED needs other forms: its own test below


def test_text_reused_names_the_form_it_resembles():
    found = scoring.ReusedText(2, "《技术转移合作》（上海技术交易所，2023年度）", 5, D("96.43"))
    flags = scoring.flags_for(clean_figures(), scoring.DEFAULT_RULES, reused=(found,))
    assert [(f.code, f.severity, f.indicator) for f in flags] == [("W_TEXT_REUSED", "warning", 2)]
    assert "《技术转移合作》（上海技术交易所，2023年度）第 5 项指标" in flags[0].message
    assert "96%" in flags[0].message


def test_satisfaction_with_evidence_raises_nothing():
    figures = with_indicator(3, target="≥90(%)", actual="98.00(%)")
    assert "I_SATISFACTION_UNSUPPORTED" not in [f.code for f in scoring.flags_for(figures, evidenced=frozenset({3}))]
    assert "I_SATISFACTION_UNSUPPORTED" in [f.code for f in scoring.flags_for(figures, evidenced=frozenset({2}))]


def test_satisfaction_in_other_units_or_words_is_not_a_percentage():
    for actual in ("98.00(分)", "达成指标"):
        assert "I_SATISFACTION_UNSUPPORTED" not in codes(with_indicator(3, target="≥90(%)", actual=actual))
    assert "I_SATISFACTION_UNSUPPORTED" in codes(with_indicator(3, target="≥90(%)", actual="95.00(百分比)"))


def test_a_form_without_a_budget_is_neither_ahead_of_spending_nor_underspent():
    figures = clean_figures(funding=funding_figures("0.00", "0.00", rate="0.00", score="0.00"))
    assert not {"W_SCORE_AHEAD_OF_SPENDING", "W_UNDERSPENT"} & set(codes(figures))


def test_the_plausibility_thresholds_are_settings():
    spent_90 = clean_figures(funding=funding_figures("100.00", "90.00", rate="90.00", score="9.00"))
    assert {"W_SCORE_AHEAD_OF_SPENDING"} <= set(codes(spent_90))
    loose = scoring.Rules(score_ahead_margin=D("0.10"), underspent_rate=D("95"))
    assert set(codes(spent_90, loose)) >= {"W_UNDERSPENT"} and "W_SCORE_AHEAD_OF_SPENDING" not in codes(spent_90, loose)
    strict_evidence = scoring.Rules(satisfaction_evidence_rate=D("90"))
    assert "I_SATISFACTION_UNSUPPORTED" in codes(with_indicator(3, target="≥90(%)", actual="90.00(%)"), strict_evidence)


def test_score_ahead_of_spending_compares_the_score_rate_not_the_scores():
    # 90 of 100 indicator points (90 %) against 85.6 % spent: 4.9 % of the score rate, quiet; 85.4 %: 5.1 %, fires.
    quiet = clean_figures(funding=funding_figures("100.00", "85.60", rate="85.60", score="8.56"),
                          indicators=[replace(i, score=i.weight * D("0.9")) for i in clean_figures().indicators])
    fires = clean_figures(funding=funding_figures("100.00", "85.40", rate="85.40", score="8.54"),
                          indicators=quiet.indicators)
    assert "W_SCORE_AHEAD_OF_SPENDING" not in codes(quiet)
    flag = next(f for f in scoring.flags_for(fires) if f.code == "W_SCORE_AHEAD_OF_SPENDING")
    assert (flag.severity, flag.place, flag.indicator) == ("warning", "funding", None)
    assert "得分率 90.00%" in flag.message and "预算执行率 85.40%" in flag.message


def test_a_score_out_of_range_raises_no_second_score_flag():
    flags = codes(with_indicator(1, actual="1.00(场)", score=D("60.00")))
    assert "E_SCORE_RANGE" in flags
    assert "E_INDICATOR_SCORE" not in flags
    assert "W_DEDUCTION_UNEXPLAINED" not in codes(with_indicator(3, score=D("-1.00")))


def test_zero_budget_with_spending_is_a_sum_error():
    figures = clean_figures(funding=funding_figures("0.00", "5.00", rate="0.00", score="0.00"))
    assert "E_FUNDING_SUM" in codes(figures)


def test_flags_carry_severity_place_and_a_chinese_message():
    flags = scoring.flags_for(with_indicator(3, score=D("9.00")))
    flag = next(f for f in flags if f.code == "W_DEDUCTION_UNEXPLAINED")
    assert (flag.code, flag.severity, flag.indicator, flag.place) == ("W_DEDUCTION_UNEXPLAINED", "warning", 3, "indicator")
    assert "偏差原因" in flag.message
    funding_flag = scoring.flags_for(with_total_line(rate=D("50.00")))[0]
    assert (funding_flag.indicator, funding_flag.place) == (None, "funding")


def test_errors_come_before_warnings_and_info():
    figures = with_indicator(3, score=D("9.00"))
    figures.declared_grade = "差"
    severities = [f.severity for f in scoring.flags_for(figures)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_the_tolerance_and_the_overachievement_ratio_are_settings():
    strict = scoring.Rules(tolerance=D("0"), overachieved_ratio=D("1.5"))
    assert "E_EXEC_RATE" in codes(with_total_line(rate=D("99.99")), strict)
    assert "W_OVERACHIEVED" not in codes(with_indicator(2, target="≥50(%)", actual="60.00(%)"), strict)
