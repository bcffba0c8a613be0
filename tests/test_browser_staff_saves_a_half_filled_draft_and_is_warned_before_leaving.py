"""In Chromium: a half-filled draft saves (only what cannot be stored is refused), Enter in a cell does
not save silently, and leaving the page with unsaved edits asks first."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import entry
from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in

LEAVING_IS_QUESTIONED = """() => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_half_filled_draft_saves_and_unsaved_edits_are_guarded(page, screenshot):
    evaluation = entry.start_evaluation(factory.make_unit(), 2023, factory.make_staff(), project_name="新项目")
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))
    assert page.evaluate(LEAVING_IS_QUESTIONED) is False  # nothing typed yet

    page.get_by_label("年度资金总额 全年预算数").fill("100")
    page.get_by_role("button", name="添加指标").click()
    page.select_option('[name="indicators-0-level1"]', "产出指标")
    page.get_by_label("第1行 三级指标", exact=True).fill("举办培训")
    assert page.evaluate(LEAVING_IS_QUESTIONED) is True

    page.get_by_label("第1行 实际完成值", exact=True).press("Enter")  # does not submit
    page.wait_for_timeout(300)
    assert Evaluation.objects.get(pk=evaluation.pk).version == 1
    expect(page.locator("#entry-announcer")).to_contain_text("不会保存")
    expect(page.locator("[data-out=summary]")).to_contain_text("第 1 行指标的二级指标、年度指标值、实际完成值、分值、得分")

    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存（第 2 版）")).to_be_visible()
    assert page.evaluate(LEAVING_IS_QUESTIONED) is False  # saved: nothing to lose
    saved = Evaluation.objects.get(pk=evaluation.pk)
    indicator = saved.indicators.get()
    assert (indicator.level1, indicator.name, indicator.score) == ("产出指标", "举办培训", None)
    assert saved.missing()[0] == "项目资金"
    expect(page.get_by_label("第1行 三级指标", exact=True)).to_have_value("举办培训")

    # The page flags a half-filled form as the server does once it is saved: nothing on the unfinished parts.
    page.get_by_role("button", name="添加指标").click()
    for name, value in (("level1", "效益指标"), ("level2", "社会效益指标")):
        page.select_option(f'[name="indicators-1-{name}"]', value)
    for label, value in (("三级指标", "覆盖面"), ("年度指标值", "≥90%"), ("实际完成值", "80%"), ("分值", "30")):
        page.get_by_label(f"第2行 {label}", exact=True).fill(value)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存（第 3 版）")).to_be_visible()
    shown = page.locator("li.flag").evaluate_all(
        "items => items.map(i => [i.dataset.code, i.dataset.indicator ? Number(i.dataset.indicator) : null, i.querySelector('.flag-text').textContent])")
    saved = Evaluation.objects.get(pk=evaluation.pk)
    assert sorted(map(tuple, shown)) == sorted((f.code, f.indicator, f.message) for f in saved.flags())
    assert ("E_WEIGHTS", None, "预算执行分值与各指标分值合计 40.00，应为 100.00。") in map(tuple, shown)
    assert not [flag for flag in shown if flag[1] == 1 or flag[0] == "E_FUNDING_SUM"]  # unfinished row and funding

    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("草稿已保存（第 4 版），但尚未提交")).to_be_visible()
    expect(page.get_by_text("请填写得分。")).to_be_visible()
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.DRAFT
    screenshot("entry-half-filled-draft-not-submitted")
