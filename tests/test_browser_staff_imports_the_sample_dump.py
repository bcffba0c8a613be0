"""In Chromium: a staff member uploads the sample dump, watches it wait for the task worker, checks the
preview, confirms, finds a second 确认导入 refused politely, and opens an imported form."""

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in

SAMPLE = factory.SAMPLE_DUMP


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_uploads_previews_confirms_and_opens_a_form(page, screenshot, settings):
    # The deployment's queue: the upload waits until a worker reads it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    factory.make_staff("staff", unit=factory.make_unit())
    sign_in(page, "staff", factory.PASSWORD)
    page.get_by_role("link", name="导入").click()
    page.get_by_label("自评表文件").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="上传并预览").click()

    page.get_by_text("排队等待读取").wait_for()
    screenshot("import-queued")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    # The page refreshes itself and shows the preview once the worker has read the file.
    page.get_by_text("确认后将写入 6 份").wait_for()
    preview = page.locator("table.preview tbody tr")
    assert preview.count() == 6
    assert "99.86" in preview.nth(1).inner_text()
    assert "超额完成" in preview.nth(4).inner_text()  # W_OVERACHIEVED, in words
    screenshot("import-preview")
    assert Evaluation.objects.count() == 0

    page.get_by_role("button", name="确认导入").click()
    page.get_by_role("heading", name="导入结果").wait_for()
    assert Evaluation.objects.count() == 6
    screenshot("import-result")

    page.go_back()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("此次导入已经完成，没有重复导入。").wait_for()
    assert Evaluation.objects.count() == 6
    screenshot("import-confirmed-twice")

    page.get_by_role("link", name="加强科技类社会组织党建工作").click()
    page.locator("#indicator-3.flagged").wait_for()
    assert page.locator('#indicator-3 li.flag[data-code="W_DEDUCTION_UNEXPLAINED"]').count() == 1
    assert "扣分未说明" in page.locator("#indicator-3").inner_text()  # the flag's title, not its code
    screenshot("import-opened-form")
