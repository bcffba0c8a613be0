"""In Chromium: the entry page works with the keyboard alone, labels every control, shows flags at
their cells, fits 1366×768 without sideways scrolling, and prints the form without the controls."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import ARTIFACTS, sign_in


UNLABELLED_CONTROLS = """() => [...document.querySelectorAll(
    '[data-entry-form] input:not([type=hidden]), [data-entry-form] select, [data-entry-form] textarea, [data-entry-form] button')]
  .filter((el) => !(el.getAttribute('aria-label') || (el.id && document.querySelector(`label[for="${el.id}"]`))
                    || el.textContent.trim()))
  .map((el) => el.name || el.outerHTML)"""


def open_entry(page, evaluation):
    factory.make_staff("staff", unit=evaluation.project.unit)
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_largest_sample_fits_the_screen_shows_its_flags_and_prints_clean(page, screenshot):
    form = factory.sample_form("国内外科技合作交流")
    evaluation = factory.make_sample_evaluation(form)
    open_entry(page, evaluation)

    rows = page.locator("[data-indicator-row]")
    expect(rows).to_have_count(len(form["indicators"]))
    for position in (9, 10, 12, 13, 14, 21, 27):  # SCORING.md: 15 vs ≥3, 1467 vs ≥500, …
        actual_cell_flags = rows.nth(position - 1).locator('[data-flags-for="actual"] li')
        expect(actual_cell_flags).to_have_attribute("data-code", "W_OVERACHIEVED")
    # and I_WEIGHT_SPLIT below the indicators, W_SCORE_AHEAD_OF_SPENDING under the funding lines
    expect(page.locator("li.flag")).to_have_count(9)
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot("entry-largest-sample")

    page.emulate_media(media="print")
    for hidden in ("保存草稿", "提交审核", "添加指标", "第1行 删除"):
        expect(page.get_by_role("button", name=hidden)).to_be_hidden()
    expect(page.locator("li.flag").first).to_be_hidden()
    name_cell = page.get_by_label("第9行 三级指标", exact=True)
    assert name_cell.evaluate("el => getComputedStyle(el).borderTopStyle") == "none"
    expect(page.get_by_label("第9行 实际完成值", exact=True)).to_be_visible()  # the values stay
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "entry-largest-sample.pdf"), format="A4")
    screenshot("entry-largest-sample-print")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rows_are_moved_removed_added_and_scored_with_the_keyboard_alone(page):
    evaluation = factory.make_evaluation()  # 产出 / 效益 / 满意度, fully achieved
    open_entry(page, evaluation)
    cell = lambda row, label: page.get_by_label(f"第{row}行 {label}", exact=True)  # noqa: E731

    cell(2, "上移").focus()
    page.keyboard.press("Enter")
    expect(cell(1, "一级指标")).to_have_value("效益指标")
    expect(cell(1, "上移")).to_be_focused()  # the focus moved with the row
    expect(cell(1, "上移")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#entry-announcer")).to_have_text("第 2 行已移到第 1 行。")

    cell(2, "得分").fill("40")  # 产出: =2(场), 2.00(场), weight 50
    cell(2, "得分").focus()
    page.keyboard.press("Tab")
    expect(cell(2, "采用按规则计算的得分")).to_be_focused()
    page.keyboard.press("Enter")
    expect(cell(2, "得分")).to_have_value("50.00")
    expect(cell(2, "得分")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    expect(cell(2, "得分")).to_have_value("")  # emptying it by hand is not undone under the cursor…
    page.keyboard.press("Shift+Tab")
    expect(cell(2, "得分")).to_have_value("50.00")  # …but a score left empty follows the rule

    cell(3, "三级指标").focus()
    page.keyboard.press("Enter")  # no line break in a single-line cell, and no submission
    expect(cell(3, "三级指标")).to_have_value("服务对象满意度")

    cell(3, "删除").focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-indicator-row]")).to_have_count(2)
    expect(cell(2, "一级指标")).to_be_focused()

    page.get_by_role("button", name="添加指标").focus()
    page.keyboard.press("Enter")
    expect(cell(3, "一级指标")).to_be_focused()
    page.keyboard.press("ArrowDown")  # the first 一级: 产出指标
    expect(cell(3, "一级指标")).to_have_value("产出指标")
    page.keyboard.press("Tab")
    assert cell(3, "二级指标").evaluate("s => [...s.options].map(o => o.value)") == ["", "数量指标", "质量指标", "时效指标", "成本指标"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("志愿服务时长")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(cell(3, "按格式填写年度指标值")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # closes the helper, back on its toggle
    expect(cell(3, "按格式填写年度指标值")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("≥100(小时)")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("110(小时)")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    expect(cell(3, "得分")).to_have_value("10.00")  # filled by the rule
    expect(page.get_by_text("W_OVERACHIEVED")).to_have_count(0)  # 110 < 1.2 × 100
    expect(page.locator('[data-out="weight-total"]')).to_have_text("100.00")

    page.get_by_role("button", name="保存草稿").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("草稿已保存（第 2 版）")).to_be_visible()
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert list(evaluation.indicators.values_list("name", "target", "score")) == [
        ("服务覆盖面", "≥90(%)", 30), ("举办培训", "=2(场)", 50), ("志愿服务时长", "≥100(小时)", 10),
    ]
