"""A new form for a project that has last year's form starts from it: indicators, weights and targets
copied, actuals, scores and explanations left empty; last year's actuals are shown beside this year's cells."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation, WorkflowEvent
from tests import factory
from tests.conftest import sign_in


@pytest.mark.django_db
def test_the_new_form_copies_what_was_planned_and_leaves_what_was_achieved_empty(client):
    last_year = factory.make_evaluation(year=2023)
    client.force_login(factory.make_staff(unit=last_year.project.unit))
    response = client.post(reverse("new_evaluation"), {"project": last_year.project.pk, "year": 2024, "copy_last_year": "on"})
    new = Evaluation.objects.get(project=last_year.project, year=2024)
    assert response.status_code == 302

    copied = [(i.level1, i.level2, i.name, i.target, i.weight, i.actual, i.score, i.deviation) for i in new.indicators.all()]
    planned = [(i.level1, i.level2, i.name, i.target, i.weight, "", None, "") for i in last_year.indicators.all()]
    assert copied == planned and len(copied) == 3
    assert new.missing()[1:] == [f"第 {n} 行指标的实际完成值、得分" for n in (1, 2, 3)]
    assert new.events.get().action == WorkflowEvent.Action.CREATE
    assert "复制自2023年度" in new.events.get().comment


@pytest.mark.django_db
def test_without_the_box_ticked_the_new_form_starts_empty(client):
    last_year = factory.make_evaluation(year=2023)
    client.force_login(factory.make_staff(unit=last_year.project.unit))
    client.post(reverse("new_evaluation"), {"project": last_year.project.pk, "year": 2024})
    assert not Evaluation.objects.get(project=last_year.project, year=2024).indicators.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_staff_start_from_last_year_and_see_last_years_actuals(page, screenshot):
    last_year = factory.make_evaluation(year=2023)
    factory.make_staff(unit=last_year.project.unit)
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("new_evaluation"))
    page.get_by_label("项目", exact=True).select_option(label=last_year.project.name)
    page.get_by_label("年度", exact=True).fill("2024")
    expect(page.get_by_label("复制上一年自评表的指标", exact=False)).to_be_checked()
    page.get_by_role("button", name="新建并开始填写").click()
    expect(page.get_by_text("指标已从2023年度复制")).to_be_visible()

    expect(page.get_by_label("第1行 三级指标", exact=True)).to_have_value("举办培训")
    expect(page.get_by_label("第1行 实际完成值", exact=True)).to_have_value("")
    # Last year's figures beside the cells (targets.checks.TargetChecks.beside), once each.
    actual_cell = page.locator("[data-indicator-row]").first.locator("td").nth(4)
    expect(actual_cell.locator(".beside")).to_have_text(["2023年：2.00(场)"])
    expect(page.locator("[data-out=summary]")).to_contain_text("第 1 行指标的实际完成值、得分")
    screenshot("entry-started-from-last-year")
