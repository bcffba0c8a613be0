"""In Chromium, on the demo data: the finance bureau returns a form to its department, the department returns
it to the unit, the unit's staff see the notification, fix and resubmit, it climbs back up, and the finance
bureau accepts the department's year; the completeness page shows a late and a missing form."""

import pytest
from django.core.management import call_command

from evaluations.management.commands.load_demo import PASSWORD
from evaluations.models import Evaluation
from tests.conftest import sign_in

FORM = "考务指挥中心升级改造"


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def counter(page):
    badge = page.locator(".site-nav .counter")
    return badge.inner_text() if badge.count() else "0"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_form_climbs_three_levels_and_the_year_is_accepted(page, screenshot):
    call_command("load_demo", stdout=open("/dev/null", "w"))

    # The finance bureau sends the education department's approved form back.
    sign_in(page, "finance", PASSWORD)
    page.get_by_role("heading", name="财政局审核").wait_for()
    screenshot("finance-queue")
    page.get_by_role("link", name=FORM, exact=True).click()
    page.get_by_label("退回上海市教育委员会的意见（必填）").fill("执行数与决算报表不一致，请核实。")
    page.get_by_role("button", name="退回主管部门").click()
    page.get_by_text("已将“考务指挥中心升级改造（2023年度）”退回上海市教育委员会。").wait_for()
    sign_out(page)

    # The department's reviewer is told, and returns it to the unit.
    sign_in(page, "reviewer2", PASSWORD)
    assert counter(page) == "2"  # the return, and the year's due date (2024-03-31) now passed with a form open
    page.get_by_role("link", name="通知").click()
    page.get_by_text("财政局退回了“考务指挥中心升级改造（2023年度）”：执行数与决算报表不一致，请核实。").wait_for()
    screenshot("reviewer-notifications")
    page.get_by_role("link", name="审核队列").click()
    page.get_by_role("link", name=FORM, exact=True).click()
    page.get_by_label("退回意见（必填）").fill("财政局要求核实执行数，请更正后重新提交。")
    page.get_by_role("button", name="退回修改").click()
    page.wait_for_load_state()
    sign_out(page)

    # The unit's staff see it, and submit it again.
    sign_in(page, "staff2", PASSWORD)
    assert counter(page) == "2"  # the return, and the due date passed
    page.get_by_role("link", name="通知").click()
    page.get_by_role("link", name="“考务指挥中心升级改造（2023年度）”被退回修改：财政局要求核实执行数，请更正后重新提交。").click()
    evaluation = Evaluation.objects.get(project__name=FORM)
    page.goto(f"/evaluations/{evaluation.pk}/edit/")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.SUBMITTED
    sign_out(page)

    # The reviewer approves it again, acknowledging its warnings.
    sign_in(page, "reviewer2", PASSWORD)
    page.get_by_role("link", name=FORM, exact=True).click()
    for box in page.locator("input[name=acknowledged]").all():
        box.check()
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    sign_out(page)

    # The finance bureau accepts the department's year; the form is locked for the department.
    sign_in(page, "finance", PASSWORD)
    row = page.locator("tr[data-department=上海市教育委员会]")
    row.get_by_role("button", name="接收 1 份").click()
    page.get_by_text("已接收上海市教育委员会 2023 年度的全部自评表。").wait_for()
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.ACCEPTED
    screenshot("finance-accepted")

    # Completeness: the science department's forms came after the due date, and one project is missing.
    page.get_by_role("link", name="报送情况").first.click()
    science = page.locator("tr[data-name=上海市科学技术委员会]")
    cells = science.locator("td")
    assert cells.nth(3).inner_text() == "1"  # 未建表
    assert int(cells.nth(7).inner_text()) >= 1  # 逾期提交
    screenshot("completeness-finance")
