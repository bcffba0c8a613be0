"""SCORING.md §5: targets and actuals written without brackets (≥90%, 不低于90%, 90%以上, ≤5万元, 2场,
a bare 6) are quantitative and scored; a sentence that merely contains a number stays qualitative."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import scoring
from evaluations.scoring import Measure, Target, parse_measure, parse_target
from tests import factory
from tests.conftest import sign_in


@pytest.mark.parametrize("written, meant", [
    ("≥90%", "≥90(%)"), (">=90%", "≥90(%)"), ("≥ 90 %", "≥90(%)"), ("≥90（%）", "≥90(%)"),
    ("不低于90%", "≥90(%)"), ("不少于2场", "≥2(场)"), ("不小于90%", "≥90(%)"), ("大于等于90%", "≥90(%)"),
    ("达到90%以上", "≥90(%)"), ("90%以上", "≥90(%)"), ("90%及以上", "≥90(%)"),
    ("不高于5万元", "≤5(万元)"), ("不超过5万元", "≤5(万元)"), ("不多于10次", "≤10(次)"), ("小于等于5%", "≤5(%)"),
    ("5万元以内", "≤5(万元)"), ("10次以下", "≤10(次)"), ("控制在5万元以内", "≤5(万元)"),
    ("大于90%", ">90(%)"), ("高于90%", ">90(%)"), ("超过90%", ">90(%)"), ("小于5%", "<5(%)"), ("低于5%", "<5(%)"),
    ("=2场", "=2(场)"), ("2场", "=2(场)"), ("≥1,000人次", "≥1000(人次)"), ("不低于９５％", "≥95(%)"),
])
def test_a_written_target_means_its_bracketed_form(written, meant):
    assert parse_target(written) == parse_target(meant) is not None


def test_a_target_without_a_unit_is_quantitative_and_flagged_for_its_unit():
    assert parse_target("≥90") == Target("≥", D("90"), None)
    assert parse_target("6") == Target("=", D("6"), None)
    figures = factory.clean_figures()
    figures.indicators[0].target = "6"
    figures.indicators[0].actual = "6场"
    assert [(f.code, f.message) for f in scoring.flags_for(figures) if f.code == "W_UNIT_MISSING"] == [
        ("W_UNIT_MISSING", "指标值“6”缺少计量单位。")]


@pytest.mark.parametrize("sentence", [
    "系统并发量大于 50", "预算执行率达 100%，并且按期完成", "举办 4 场培训，培训人员 200 人", "12月底前", "满意",
    "大于5万元以内",
])
def test_a_sentence_that_contains_a_number_stays_qualitative(sentence):
    assert parse_target(sentence) is None


@pytest.mark.parametrize("written, value, unit", [
    ("95%", "95", "%"), ("95", "95", None), ("2场", "2", "场"), ("2.00(场)", "2.00", "场"),
    ("１,０００元", "1000", "元"), ("４５．６", "45.6", None),
])
def test_an_actual_is_read_the_same_way(written, value, unit):
    assert parse_measure(written) == Measure(D(value), unit)


def test_an_actual_with_an_operator_is_not_a_number():
    assert parse_measure("≥95%") is None and parse_measure("95%以上") is None


def test_an_actual_missing_the_targets_unit_is_told_how_to_write_it():
    figures = factory.clean_figures()  # indicator 1: =2(场)
    figures.indicators[0].actual = "2"
    messages = [f.message for f in scoring.flags_for(figures) if f.code == "W_UNIT_MISSING"]
    assert messages == ["完成值“2”缺少单位，应写作“2(场)”。"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_written_targets_are_scored_and_a_missing_unit_is_fixed_in_one_click(page, screenshot):
    evaluation = factory.make_evaluation()
    factory.make_staff(unit=evaluation.project.unit)
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))
    cell = lambda row, label: page.get_by_label(f"第{row}行 {label}", exact=True)  # noqa: E731

    cell(1, "年度指标值").fill("≥90%")
    cell(1, "实际完成值").fill("85%")
    suggestion = page.locator("[data-indicator-row]").nth(0).locator("[data-out=suggested]")
    weight = D(cell(1, "分值").input_value())
    expect(suggestion).to_have_text(str(scoring.rule_score(parse_target("≥90%"), D("85"), weight)))
    cell(2, "年度指标值").fill("不低于95%")
    cell(2, "实际完成值").fill("96")
    fix = page.get_by_role("button", name="第2行 完成值改为“96(%)”")
    expect(fix).to_be_visible()
    expect(page.locator("[data-indicator-row]").nth(1).locator('[data-flags-for="actual"]')).to_contain_text(
        "完成值“96”缺少单位，应写作“96(%)”。")
    screenshot("entry-written-targets")
    fix.click()
    expect(cell(2, "实际完成值")).to_have_value("96(%)")
    expect(page.locator('li.flag[data-code="W_UNIT_MISSING"]')).to_have_count(0)
