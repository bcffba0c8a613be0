"""In Chromium: a reviewer downloads the checked queue rows, the filtered queue, and one form, as Excel."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in
from tests.sample_forms import SAMPLE_FORMS


def downloaded(page, click):
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, load_workbook(BytesIO(open(download.path(), "rb").read()))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_exports_the_selection_the_filter_and_a_form(page, screenshot):
    evaluations = [factory.make_sample_evaluation(form) for form in SAMPLE_FORMS]
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations[:4]]).update(status=Evaluation.Status.SUBMITTED)
    factory.make_reviewer("reviewer", department=factory.make_department())
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto("/review/")

    page.get_by_label("选择 技术转移合作").check()
    page.get_by_label("选择 信息化建设项目").check()
    screenshot("export-queue-actions")
    name, book = downloaded(page, page.get_by_role("button", name="导出所选为 Excel").click)
    assert name == "绩效自评表汇总（所选）.xlsx"
    assert book.sheetnames[0] == "汇总" and set(book.sheetnames[1:]) == {"技术转移合作", "信息化建设项目"}

    page.get_by_label("状态").select_option("draft")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    name, book = downloaded(page, page.get_by_role("link", name="导出筛选结果为 Excel").click)
    assert name == "绩效自评表汇总（草稿）.xlsx"
    assert set(book.sheetnames[1:]) == {"国内外科技合作交流", "加强科技类社会组织党建工作"}

    page.goto(evaluations[0].get_absolute_url())
    name, book = downloaded(page, page.get_by_role("link", name="导出 Excel").click)
    assert name == "绿色技术银行综合管理与运行（2023年度）绩效自评表.xlsx"
    assert book.active["C3"].value == "绿色技术银行综合管理与运行"
