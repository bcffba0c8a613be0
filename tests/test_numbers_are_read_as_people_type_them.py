"""Number cells read full-width digits (４５．６) and thousands separators (1,000) as numbers, on the page
and on the server alike; a number too long to store is refused at its cell, not drawn as a huge rate."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in


@pytest.mark.django_db
def test_the_server_stores_full_width_digits_and_thousands_separators_as_numbers(client):
    evaluation = factory.make_evaluation()
    client.force_login(factory.make_staff(unit=evaluation.project.unit))
    data = factory.entry_form_data(factory.clean_figures(), evaluation.version)
    data.update({"funding-0-budget_full_year": "1,000", "funding-1-budget_full_year": "１,０００．００",
                 "funding-0-budget_initial": "1,000", "funding-1-budget_initial": "１０００",
                 "funding-0-executed": "９９．５", "funding-1-executed": "99.50"})
    assert client.post(reverse("evaluation_entry", args=[evaluation.pk]), data).status_code == 302
    lines = {line.kind: line for line in Evaluation.objects.get(pk=evaluation.pk).funding_lines.all()}
    assert (lines["total"].budget_full_year, lines["current_year"].budget_full_year) == (D("1000"), D("1000"))
    assert lines["total"].executed == D("99.5")


@pytest.mark.parametrize("typed", ["1,00", "12,3456", "1.000,5"])
@pytest.mark.django_db
def test_a_misplaced_separator_is_not_a_number(client, typed):
    evaluation = factory.make_evaluation()
    client.force_login(factory.make_staff(unit=evaluation.project.unit))
    data = factory.entry_form_data(factory.clean_figures(), evaluation.version)
    data["funding-0-executed"] = typed
    response = client.post(reverse("evaluation_entry", args=[evaluation.pk]), data)
    assert "全年执行数请填写数字。" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_page_reads_the_same_numbers_and_refuses_one_too_long_at_its_cell(page, screenshot):
    evaluation = factory.make_evaluation()
    factory.make_staff(unit=evaluation.project.unit)
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))
    total = page.locator('[data-funding-kind="total"]')

    page.get_by_label("年度资金总额 全年预算数").fill("1,000")
    page.get_by_label("年度资金总额 全年执行数").fill("９９．５")
    expect(total.locator("[data-out=rate]")).to_have_text("9.95")

    page.get_by_label("年度资金总额 全年执行数").fill("1" * 21)
    expect(total.locator(".cell-check").nth(2)).to_have_text("数值过大（整数部分最多 12 位）。")
    expect(total.locator("[data-out=rate]")).to_have_text("—")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot("entry-number-too-long")
