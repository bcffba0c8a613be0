"""In Chromium: a 填报人 attaches the survey report to the 满意度 indicator of 火灾报警系统升级改造; the info
flag at that cell goes, the file is listed, and the reviewer finds it at the cell and downloads it."""

import pytest
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_survey_file_takes_the_flag_away_and_the_reviewer_downloads_it(page, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    form = factory.make_sample_evaluation(factory.sample_form("火灾报警系统升级改造"))
    factory.make_staff("staff", unit=form.unit)
    factory.make_reviewer("reviewer", form.department)
    survey = tmp_path / "满意度调查报告.pdf"
    survey.write_bytes(PDF)

    sign_in(page, "staff", factory.PASSWORD)
    page.goto(f"/evaluations/{form.pk}/edit/")
    flag = page.locator('li.flag[data-code="I_SATISFACTION_UNSUPPORTED"]')
    expect(flag).to_have_count(1)
    page.get_by_label("材料所属").select_option("6")
    page.get_by_label("文件").set_input_files(str(survey))
    page.get_by_role("button", name="上传佐证材料").click()
    expect(page.get_by_text("已添加佐证材料：满意度调查报告.pdf。")).to_be_visible()
    expect(flag).to_have_count(0)
    expect(page.locator("#evidence").get_by_role("link", name="满意度调查报告.pdf")).to_be_visible()
    screenshot("evidence-entry")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交审核")).to_be_visible()
    assert Evaluation.objects.get(pk=form.pk).status == Evaluation.Status.SUBMITTED

    page.context.clear_cookies()
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto(f"/review/{form.pk}/")
    cell = page.locator("#indicator-6")
    expect(cell.get_by_role("link", name="满意度调查报告.pdf")).to_be_visible()
    expect(page.get_by_text("满意度缺佐证")).to_have_count(0)
    with page.expect_download() as download:
        cell.get_by_role("link", name="满意度调查报告.pdf").click()
    assert download.value.suggested_filename == "满意度调查报告.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    screenshot("evidence-review")
