"""An empty form is not a failing form: a new or half-filled draft shows what is missing, on the
reviewer's page, the staff page and in the workbook, with no total, no grade and no flags on empty cells."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import entry
from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in


def never_saved():
    staff = factory.make_staff()
    return entry.start_evaluation(factory.make_unit(), 2023, staff, project_name="新项目")


@pytest.mark.django_db
def test_a_never_saved_draft_has_no_flags_no_total_and_lists_what_is_missing():
    evaluation = Evaluation.objects.get(pk=never_saved().pk)
    assert evaluation.flags() == []
    assert evaluation.missing() == ["项目资金", "绩效指标"]
    assert evaluation.computed_total is None and evaluation.computed_grade == ""


@pytest.mark.django_db
def test_the_review_page_of_a_never_saved_draft_shows_four_empty_funding_lines_and_no_grade(client):
    evaluation = never_saved()
    client.force_login(factory.make_reviewer(department=evaluation.project.unit.department))
    page = client.get(reverse("review_evaluation", args=[evaluation.pk])).content.decode()
    assert "未填写：项目资金；绩效指标" in page
    assert "None" not in page
    for label in ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"):
        assert f"<th>{label}</th>" in page
    assert "尚未填写完整" in page
    assert "没有任何标记" in page  # the header's 错误 0 and the flag box agree
    assert "<strong>差</strong>" not in page


@pytest.mark.django_db
def test_the_workbook_of_a_never_saved_draft_says_unfinished_not_a_grade(client):
    evaluation = never_saved()
    client.force_login(factory.make_reviewer(department=evaluation.project.unit.department))
    response = client.get(reverse("evaluation_export", args=[evaluation.pk]))
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "尚未填写完整" in values
    assert "差" not in values


@pytest.mark.django_db
def test_a_half_filled_draft_flags_only_its_finished_rows(client):
    evaluation = factory.make_evaluation()
    staff = factory.make_staff(unit=evaluation.project.unit)
    client.force_login(staff)
    data = factory.entry_form_data(factory.clean_figures(), evaluation.version)
    data.update({"indicators-1-score": "", "indicators-2-actual": ""})
    assert client.post(reverse("evaluation_entry", args=[evaluation.pk]), data).status_code == 302

    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.missing() == ["第 2 行指标的得分", "第 3 行指标的实际完成值"]
    assert [flag for flag in evaluation.flags() if flag.indicator in (2, 3)] == []
    assert evaluation.computed_total is None and evaluation.computed_grade == ""
    assert evaluation.indicators.get(position=2).score is None  # stored empty, not as 0

    client.force_login(factory.make_reviewer(department=evaluation.project.unit.department))
    response = client.get(reverse("evaluation_export", args=[evaluation.pk]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[-1]
    rows = {row[2]: row for row in sheet.iter_rows(values_only=True) if row[2]}
    assert rows["服务覆盖面"][6] is None  # the empty score is an empty cell, not 0
    assert rows["举办培训"][6] == 50


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_a_new_form_says_what_to_fill_in_instead_of_a_grade(page, screenshot):
    evaluation = never_saved()
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))
    expect(page.locator("[data-out=grade]")).to_have_text("尚未填写完整")
    expect(page.locator("[data-out=summary]")).to_contain_text("尚未填写：项目资金；绩效指标")
    expect(page.locator("li.flag")).to_have_count(0)
    screenshot("entry-new-form")

    factory.make_reviewer(department=evaluation.project.unit.department)
    page.context.clear_cookies()
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto(reverse("review_evaluation", args=[evaluation.pk]))
    expect(page.locator("[data-missing]")).to_contain_text("未填写：项目资金；绩效指标")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot("review-never-saved-draft")
