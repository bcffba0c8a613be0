"""In Chromium: staff open 导入绩效目标表 from the target tables' list, upload the PDF of an exported table, see the
preview say it will be created (nothing written yet), confirm and see it created, submitted, with a link to its page;
the layout text of the same table then previews as unchanged, with nothing to confirm."""

import pytest
from playwright.sync_api import expect

from targets.models import TargetTable
from tests import factory
from tests.conftest import sign_in
from tests.reader_helpers import MATERIAL


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_preview_and_import_the_pdf_and_then_the_text_of_one_table(page, screenshot):
    factory.make_staff(unit=factory.make_unit())
    sign_in(page, "staff", factory.PASSWORD)
    page.goto("/targets/")
    page.get_by_role("link", name="导入绩效目标表").click()
    page.get_by_label("绩效目标表文件").set_input_files(str(MATERIAL / "target-export.pdf"))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("h1")).to_have_text("绩效目标表导入预览")
    row = page.locator("table.preview tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("新建")
    expect(row).to_contain_text("6 项")
    screenshot("target-import-preview")
    assert not TargetTable.objects.exists()

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("h1")).to_have_text("绩效目标表导入结果")
    expect(page.locator("table.list tbody tr")).to_contain_text("新建")
    screenshot("target-import-result")
    assert TargetTable.objects.get().status == TargetTable.Status.SUBMITTED

    page.get_by_role("link", name="继续导入").click()
    page.get_by_label("绩效目标表文件").set_input_files(str(MATERIAL / "target-export.pdftotext-layout.txt"))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("table.preview tbody tr")).to_contain_text("未变")
    expect(page.get_by_role("button", name="确认导入")).to_be_disabled()
    page.goto("/targets/")
    page.get_by_role("link", name="火灾报警系统升级改造").first.click()
    expect(page.locator("h1")).to_contain_text("火灾报警系统升级改造")
