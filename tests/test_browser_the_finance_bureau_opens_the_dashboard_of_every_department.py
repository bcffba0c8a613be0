"""In Chromium, on the demo data: the finance bureau opens 统计 from the menu and sees what has reached it
from every department, its execution rates per department."""

import pytest
from django.core.management import call_command

from evaluations.management.commands.load_demo import PASSWORD
from evaluations.models import Evaluation
from tests.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_finance_bureau_opens_the_dashboard_of_every_department(page, screenshot):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    reached = Evaluation.objects.filter(status__in=[Evaluation.Status.APPROVED, Evaluation.Status.ACCEPTED])
    latest = reached.order_by("-year").first().year
    departments = sorted(set(reached.filter(year=latest).values_list("department__name", flat=True)))

    sign_in(page, "finance", PASSWORD)
    page.locator(".site-nav").get_by_role("link", name="统计").click()
    page.get_by_role("heading", name=f"{latest}年度绩效自评统计 各主管部门").wait_for()
    page.get_by_role("heading", name="各主管部门预算执行率").wait_for()
    rates = page.locator("section[aria-labelledby=unit-title] table tbody tr td:first-child").all_inner_texts()
    assert sorted(rates) == departments
    assert page.get_by_text(f"共 {reached.filter(year=latest).count()} 份自评表").is_visible()
    assert page.get_by_role("link", name="汇总报告与公开材料").count() == 0
    screenshot("finance-dashboard")
