"""In Chromium, on the demo data (issue 15's "done when"): the reviewer approves a 2024 target table that carries
W_TARGET_BELOW_LAST_ACTUAL; staff start the matching self-evaluation prefilled from it, change one target, see
W_TARGET_CHANGED (approved → reported) at its row and state a reason; the project page shows both years; the
monitoring page shows a red, a yellow and a green project."""

import pytest
from django.core.management import call_command

from evaluations.management.commands.load_demo import PASSWORD
from evaluations.models import Evaluation
from targets.models import TargetChangeReason, TargetTable
from tests.conftest import ARTIFACTS, sign_in

PROJECT = "信息化建设项目"


def evaluation_count():
    """Evaluations of 2024 with a saved version beyond the one created: none until staff save."""
    return Evaluation.objects.filter(project__name=PROJECT, year=2024, version=1).count()


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_targets_from_approval_to_the_years_and_the_lights(page, screenshot):
    call_command("load_demo", stdout=open("/dev/null", "w"))

    # The reviewer finds the 2024 table waiting, sees its target below 2023's actual, and approves it.
    sign_in(page, "reviewer", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="绩效目标").click()
    page.locator("table.list tbody tr").first.get_by_role("link", name=PROJECT).click()
    page.get_by_role("heading", name=f"{PROJECT}（2024年度绩效目标）").wait_for()
    low = page.locator('li.flag[data-code="W_TARGET_BELOW_LAST_ACTUAL"]', has_text="≥95(%)")
    assert "低于 2023 年度的实际完成值 100.00(百分比)" in low.inner_text()
    screenshot("targets-reviewer-before-approval")
    page.get_by_label("批准意见（可不填）").fill("同意。")
    page.get_by_role("button", name="批准", exact=True).click()
    page.get_by_text("已批准。绩效目标表已锁定").wait_for()
    assert TargetTable.objects.get(project__name=PROJECT, year=2024).status == TargetTable.Status.APPROVED

    # Monitoring: a red, a yellow and a green project on one page.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="运行监控").click()
    page.get_by_role("heading", name="绩效运行监控").wait_for()
    for light in ("red", "yellow", "green"):
        assert page.locator(f"span.light-{light}").count() >= 1
    screenshot("targets-monitoring-lights")
    sign_out(page)

    # Staff start the 2024 self-evaluation from the approved targets: the rows come prefilled.
    sign_in(page, "staff", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="绩效目标").click()
    page.locator("table.list tbody tr", has_text="2024").get_by_role("link", name=PROJECT).click()
    page.get_by_role("button", name="按批准的目标开始2024年度自评").click()
    page.get_by_text("指标、指标值和分值已填入").wait_for()
    rows = page.locator("[data-indicator-rows] tr.indicator-row")
    assert rows.count() == 13
    assert rows.nth(6).get_by_label("第7行 三级指标").input_value() == "系统账号开通率"
    assert rows.nth(6).get_by_label("第7行 年度指标值").input_value() == "≥95(%)"

    # Fill the year's figures, change one target, save.
    for kind, amount in (("年度资金总额", "390.00"), ("当年财政拨款", "390.00"), ("上年结转资金", "0"), ("其他资金", "0")):
        for column in ("年初预算数", "全年预算数", "全年执行数"):
            page.get_by_label(f"{kind} {column}").fill(amount)
    for n in range(1, 14):
        page.get_by_label(f"第{n}行 实际完成值").fill("达成指标")
        page.get_by_label(f"第{n}行 得分").fill(page.get_by_label(f"第{n}行 分值").input_value())
    page.get_by_label("第7行 年度指标值").fill("≥92(%)")
    # The flag shows at the row while typing, before anything is saved (the server compares, the page draws).
    live = rows.nth(6).locator('li.flag[data-code="W_TARGET_CHANGED"]')
    live.wait_for()
    assert "年度指标值：≥95(%) → ≥92(%)" in live.inner_text() and evaluation_count() == 1
    page.get_by_label("第7行 年度指标值").fill("≥95(%)")
    live.wait_for(state="detached")
    page.get_by_label("第7行 年度指标值").fill("≥92(%)")
    live.wait_for()
    # (Only the row: a full-page screenshot here would leave the sticky save bar where the click then misses.)
    rows.nth(6).screenshot(path=str(ARTIFACTS / "targets-staff-target-changed-live.png"))
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()
    changed = rows.nth(6).locator('li.flag[data-code="W_TARGET_CHANGED"]')
    assert "年度指标值：≥95(%) → ≥92(%)" in changed.inner_text() and "尚未说明调整理由" in changed.inner_text()
    screenshot("targets-staff-target-changed")

    # Submitting is refused until the change has a reason; the reason then shows with the flag.
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("尚未说明调整理由").first.wait_for()
    page.get_by_role("link", name="与批准的绩效目标不同之处（1 处）：说明调整理由").click()
    page.get_by_label("第1处改动的调整理由").fill("年中新增外部用户，开通率目标相应下调。")
    page.get_by_role("button", name="保存调整理由").click()
    page.get_by_text("调整理由已保存").wait_for()
    screenshot("targets-staff-reason")
    page.get_by_role("link", name="返回自评表").click()
    assert "调整理由：年中新增外部用户" in rows.nth(6).locator('li.flag[data-code="W_TARGET_CHANGED"]').inner_text()
    evaluation = Evaluation.objects.get(project__name=PROJECT, year=2024)
    assert evaluation.has_flag("W_TARGET_CHANGED") and TargetChangeReason.objects.filter(evaluation=evaluation).count() == 1

    # The project page shows both years side by side, with trends, linked to each year's forms.
    page.get_by_role("link", name="历年对比").first.click()
    page.get_by_role("heading", name=f"{PROJECT} · 历年对比").wait_for()
    header = page.locator("table.years").first.locator("thead th")
    assert [header.nth(n).inner_text() for n in range(1, 3)] == ["2023", "2024"]
    assert page.locator("svg.trend").count() >= 1
    screenshot("targets-project-years")

    # Submitted with its reason, the form reaches the reviewer: the change and its reason at the row, last
    # year's figures beside the cells; both target warnings must be acknowledged to approve.
    page.go_back()
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("已提交审核").first.wait_for()
    sign_out(page)
    sign_in(page, "reviewer", PASSWORD)
    page.goto(f"/review/{evaluation.pk}/")
    row = page.locator("#indicator-7")
    assert "≥95(%) → ≥92(%)" in row.inner_text() and "调整理由：年中新增外部用户" in row.inner_text()
    assert "2023年：≥90.00(百分比)" in row.inner_text() and "2023年：100.00(百分比)" in row.inner_text()
    screenshot("targets-reviewer-review-page")
    page.get_by_label("已核实：改动绩效目标").check()
    page.get_by_label("已核实：目标低于上年").check()
    for extra in page.locator("input[name=acknowledged]:not(:checked)").all():
        extra.check()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("已审核通过，表单已锁定").first.wait_for()
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.APPROVED
