"""In Chromium, on the demo data: the reviewer sees which sample forms carry flags, returns one with a comment,
approves another after acknowledging its warnings, and the auditor sees both actions with their before and after."""

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation, WorkflowEvent
from evaluations.management.commands.load_demo import PASSWORD
from tests.conftest import sign_in

FLAGGED = {  # the warnings SCORING.md lists for the six sample forms (§4, and §6's W_SCORE_AHEAD_OF_SPENDING)
    "绿色技术银行综合管理与运行": set(),
    "火灾报警系统升级改造": set(),
    "技术转移合作": {"W_UNIT_MISSING"},
    "信息化建设项目": {"W_OVERACHIEVED"},
    "国内外科技合作交流": {"W_OVERACHIEVED", "W_SCORE_AHEAD_OF_SPENDING"},
    "加强科技类社会组织党建工作": {"W_DEDUCTION_UNEXPLAINED", "W_UNIT_MISSING"},
}


def queue_row(page, project):
    return page.locator("table.queue tbody tr", has=page.get_by_role("link", name=project, exact=True))


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_returns_one_and_approves_another(page, screenshot):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    sign_in(page, "reviewer", PASSWORD)

    # The queue is the reviewer's home; warnings show as badges on their rows.
    page.get_by_role("heading", name="审核队列").wait_for()
    # The six 2023 sample forms, and the demo's 2022 form of a continuing project.
    assert page.locator("table.queue tbody tr").count() == 7
    for project, codes in FLAGGED.items():
        badges = queue_row(page, project).locator(".badge-warning")
        assert {badges.nth(n).get_attribute("data-code") for n in range(badges.count())} == codes
    screenshot("reviewer-queue")

    # Return 技术转移合作 with a comment.
    page.get_by_role("link", name="技术转移合作", exact=True).click()
    page.locator('.flag-group[data-code="W_UNIT_MISSING"]').wait_for()
    assert page.locator("#indicator-13.flagged").is_visible()
    screenshot("reviewer-review-page")
    page.get_by_label("退回意见（必填）").fill("第 13、14 项满意度的计量单位为 null，请补充后重新提交。")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回“技术转移合作”").wait_for()
    assert "已退回，等待填报人修改后重新提交" in page.content()

    # Approve 加强科技类社会组织党建工作: each of its two warnings must be acknowledged first.
    page.get_by_role("link", name="审核队列").first.click()
    page.get_by_role("link", name="加强科技类社会组织党建工作", exact=True).click()
    page.get_by_label("已核实：扣分未说明").check()
    page.get_by_label("已核实：缺少单位").check()
    page.get_by_label("审核意见（可选）").fill("扣分原因已电话确认，同意通过。")
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("已审核通过，表单已锁定").first.wait_for()
    screenshot("reviewer-approved")
    page.get_by_role("link", name="统计").click()
    page.get_by_role("heading", name="2023年度绩效自评统计").wait_for()
    assert page.locator("svg.chart").count() == 5
    screenshot("reviewer-dashboard")

    statuses = dict(Evaluation.objects.values_list("project__name", "status"))
    assert statuses["技术转移合作"] == "returned" and statuses["加强科技类社会组织党建工作"] == "approved"
    assert list(WorkflowEvent.objects.filter(actor__username="reviewer").values_list("action", flat=True)) == [
        "return", "approve"]

    # The auditor sees both, newest first, with the status before and after.
    sign_out(page)
    sign_in(page, "auditor", PASSWORD)
    page.get_by_role("heading", name="审计记录").wait_for()
    rows = page.locator("table.audit tbody tr")
    texts = [rows.nth(n).inner_text() for n in range(4)]
    approval = next(text for text in texts if "审核通过" in text and "流程" in text)
    assert "加强科技类社会组织党建工作" in approval and "已提交 → 已通过" in approval and "李审核" in approval
    returned = next(text for text in texts if "退回" in text and "流程" in text)
    assert "技术转移合作" in returned and "已提交 → 已退回" in returned and "计量单位为 null" in returned
    screenshot("auditor-trail")

    # Narrowed to the reviewer: on self-evaluations, the two actions and the changes they made, nothing else
    # (the demo's target tables were approved by this reviewer too, and are listed as such).
    page.get_by_label("操作人").select_option(label="李审核（reviewer）")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    on_forms = rows.filter(has_not_text="绩效目标表")
    assert on_forms.count() == 4  # two workflow events, two status changes
    assert on_forms.filter(has_text="已提交 → 已通过").count() == 2
    assert on_forms.filter(has_text="已提交 → 已退回").count() == 2
    assert rows.count() == 4 + rows.filter(has_text="绩效目标表）").count()
    screenshot("auditor-trail-reviewer")
