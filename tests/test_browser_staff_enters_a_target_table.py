"""In Chromium: staff start a 2025 target table, fill in the 申报表 (funds, 年度总体目标, indicators, one of them
wrong first), save, and submit it; the page keeps to the Content Security Policy (the `page` fixture fails on any
violation) and reads as the official table."""

import pytest

from evaluations.models import Evaluation
from targets.models import TargetEvent, TargetTable
from tests import factory
from tests.conftest import sign_in

ROWS = [("产出指标", "数量指标", "举办科普讲座", "≥12(场)", "50"),
        ("效益指标", "社会效益指标", "受众覆盖人次", "≥3000(人次)", "30"),
        ("满意度指标", "服务对象满意度指标", "听众满意度", "≥90(%)", "10")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_enter_and_submit_a_target_table(page, screenshot):
    factory.make_staff()
    sign_in(page, "staff", factory.PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="绩效目标").click()
    page.get_by_role("link", name="新建绩效目标表").click()
    page.get_by_label("新项目名称").fill("科普讲座进社区")
    page.get_by_label("年度").fill("2025")
    page.get_by_role("button", name="新建并开始填写").click()
    page.get_by_role("heading", name="科普讲座进社区（2025年度绩效目标）").wait_for()
    assert page.locator("table.target-form caption").inner_text().startswith("项目支出绩效目标申报表")

    page.get_by_label("年度资金总额").fill("80.00")
    page.get_by_label("其中：财政拨款").fill("80.00")
    page.get_by_label("其他资金").fill("0")
    page.get_by_label("年度总体目标").fill("全年在 12 个社区举办科普讲座，覆盖 3000 人次以上。")
    for n, (level1, level2, name, target, weight) in enumerate(ROWS, start=1):
        page.get_by_label(f"第{n}行 一级指标").select_option(level1)
        page.get_by_label(f"第{n}行 二级指标").select_option(level2)
        page.get_by_label(f"第{n}行 三级指标").fill(name)
        page.get_by_label(f"第{n}行 指标值").fill(target)
        page.get_by_label(f"第{n}行 分值").fill(weight)
    page.get_by_label("第3行 分值").fill("十")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("分值请填写数字").wait_for()
    assert TargetTable.objects.get().version == 1  # nothing saved
    page.get_by_label("第3行 分值").fill("10")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存（第 2 版）").wait_for()
    assert page.get_by_label("第4行 三级指标").input_value() == ""  # spare rows for more indicators
    screenshot("targets-staff-entry")
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("已提交审核人批准").wait_for()
    table = TargetTable.objects.get()
    assert table.status == TargetTable.Status.SUBMITTED and table.indicators.count() == 3
    assert list(TargetEvent.objects.values_list("action", flat=True)) == ["create", "save", "save", "submit"]
    assert "度量单位" in page.content() and not Evaluation.objects.exists()
    screenshot("targets-staff-submitted")
