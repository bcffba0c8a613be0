"""In Chromium: a unit's staff opens the form, edits the report's drafted problems and improvements, saves,
and downloads the report with the edited words in it."""

import pytest

from tests import factory
from tests.conftest import sign_in
from tests.reports_helpers import deducted_figures, docx_text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_edits_the_texts_and_downloads_the_report(page, screenshot, tmp_path):
    evaluation = factory.make_submitted_evaluation(deducted_figures())
    factory.make_staff("staff", unit=evaluation.unit)
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(evaluation.get_absolute_url())
    page.get_by_role("link", name="编辑报告文字").click()
    page.wait_for_load_state()
    problems = page.get_by_role("textbox", name="存在的问题")
    assert "受场地改造影响" in problems.input_value()  # the draft, from the form's deviation column
    screenshot("reports-texts-draft")
    problems.fill("讲座场地改造，两场讲座顺延。")
    page.get_by_role("textbox", name="改进措施").fill("提前落实备用场地。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "报告文字已保存" in page.content() and "第 1 版" in page.content()
    screenshot("reports-texts-saved")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载自评报告（Word）").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == f"{evaluation.project.name}（2023年度）项目支出绩效自评报告.docx"
    text = docx_text(path.read_bytes())
    assert "讲座场地改造，两场讲座顺延。" in text and "提前落实备用场地。" in text
