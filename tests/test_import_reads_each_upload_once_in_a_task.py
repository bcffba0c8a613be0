"""The web import reads the uploaded files once, in a task: the page shows how far it got, the preview
and the confirmation read the stored result, and a reading that crashes or stalls says so in Chinese."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from evaluations.models import Evaluation
from importer import access, sources, staging
from importer.models import StagedImport
from importer.tasks import read_staged_import
from tests import factory

pytestmark = pytest.mark.django_db
SAMPLE = factory.SAMPLE_DUMP
# A backend that keeps tasks queued for a worker (the tests' default runs them at once).
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def staff_client(client):
    client.force_login(factory.make_staff())
    return client


@pytest.fixture
def parse_calls(monkeypatch):
    """Every call of the one parsing entry point, by file name."""
    calls = []

    def counted(data, name):
        calls.append(name)
        return sources.parse_file(data, name)

    monkeypatch.setattr(staging, "parse_file", counted)
    return calls


def upload(client, *names_and_data):
    files = [SimpleUploadedFile(name, data, content_type="text/plain") for name, data in names_and_data]
    return client.post("/import/", {"files": files})


def two_files():
    text = SAMPLE.read_text(encoding="utf-8")
    first_form_ends = text.index("财政项目支出绩效自评表", 10)
    return ("一.txt", text[:first_form_ends].encode()), ("二.txt", text[first_form_ends:].encode("gb18030"))


def test_each_file_is_parsed_once_and_preview_and_confirm_read_the_stored_result(staff_client, parse_calls):
    staged_url = upload(staff_client, *two_files()).url
    assert parse_calls == ["一.txt", "二.txt"]
    staged = StagedImport.objects.get()
    assert staged.state == StagedImport.State.READ and (staged.file_count, staged.files_read) == (2, 2)
    assert [row["report"]["project_name"] for row in staged.parsed["documents"]][:2] == ["绿色技术银行综合管理与运行", "火灾报警系统升级改造"]

    for _ in range(2):
        page = staff_client.get(staged_url).content.decode()
        assert "确认后将写入 6 份" in page and "W_OVERACHIEVED" in page
    staff_client.post(staged_url + "confirm/")
    assert Evaluation.objects.count() == 6
    assert parse_calls == ["一.txt", "二.txt"]  # neither the preview nor the confirmation parsed again
    staged.refresh_from_db()
    assert staged.parsed == {} and staged.completed_at


def test_the_page_shows_the_queue_then_the_progress_then_the_preview(staff_client, settings, parse_calls):
    settings.TASKS = QUEUED
    staged_url = upload(staff_client, *two_files()).url
    assert parse_calls == []  # nothing is read inside the request
    staged = StagedImport.objects.get()

    page = staff_client.get(staged_url).content.decode()
    assert "排队等待读取" in page and '<meta http-equiv="refresh"' in page and "确认导入" not in page
    assert staff_client.post(staged_url + "confirm/").url == staged_url  # nothing to confirm yet
    assert Evaluation.objects.count() == 0

    StagedImport.objects.filter(pk=staged.pk).update(state=StagedImport.State.READING, files_read=1)
    page = staff_client.get(staged_url).content.decode()
    assert "正在读取第 2 个文件，共 2 个" in page and '<meta http-equiv="refresh"' in page

    StagedImport.objects.filter(pk=staged.pk).update(state=StagedImport.State.QUEUED, files_read=0)
    read_staged_import.call(staged.pk)  # what a worker does
    page = staff_client.get(staged_url).content.decode()
    assert "确认后将写入 6 份" in page and '<meta http-equiv="refresh"' not in page
    read_staged_import.call(staged.pk)  # a second run of the same task reads nothing again
    assert parse_calls == ["一.txt", "二.txt"]


def test_a_reading_that_crashes_leaves_a_chinese_reason_and_writes_nothing(staff_client, monkeypatch):
    def broken(data, name):
        raise RuntimeError("a bug in a reader")

    monkeypatch.setattr(staging, "parse_file", broken)
    staged_url = upload(staff_client, ("sstec.txt", SAMPLE.read_bytes())).url
    response = staff_client.get(staged_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "读取失败：读取文件时程序出错，未导入任何内容" in page
    assert '<meta http-equiv="refresh"' not in page and "RuntimeError" not in page and "bug" not in page
    assert StagedImport.objects.get().state == StagedImport.State.FAILED
    assert staff_client.post(staged_url + "confirm/").url == staged_url
    assert Evaluation.objects.count() == 0


@override_settings(ZPB_IMPORT_STALLED_MINUTES=10)
@pytest.mark.parametrize("state, reason", [
    (StagedImport.State.QUEUED, "已排队 10 分钟以上仍未开始读取"),
    (StagedImport.State.READING, "读取已超过 10 分钟没有进展"),
])
def test_a_reading_that_stopped_moving_is_not_a_page_that_waits_forever(staff_client, settings, state, reason):
    settings.TASKS = QUEUED
    staged_url = upload(staff_client, ("sstec.txt", SAMPLE.read_bytes())).url
    StagedImport.objects.update(state=state)
    assert '<meta http-equiv="refresh"' in staff_client.get(staged_url).content.decode()
    StagedImport.objects.update(progress_at=timezone.now() - timedelta(minutes=11))
    page = staff_client.get(staged_url).content.decode()
    assert reason in page and '<meta http-equiv="refresh"' not in page


def test_the_upload_page_lists_imports_waiting_for_confirmation(staff_client, settings):
    settings.TASKS = QUEUED
    staged_url = upload(staff_client, ("sstec.txt", SAMPLE.read_bytes())).url
    page = staff_client.get("/import/").content.decode()
    assert f'href="{staged_url}"' in page and "排队等待读取，未确认" in page


def test_who_may_import_what_is_checked_again_at_confirmation(staff_client, monkeypatch):
    staged_url = upload(staff_client, ("sstec.txt", SAMPLE.read_bytes())).url
    # Moved to another unit between the upload and the confirmation (roles are checked by importer.access).
    monkeypatch.setattr(access, "scope_problem", lambda user, form: f"此表的实施单位“{form.unit}”不是您所在的单位，不能导入。")
    page = staff_client.post(staged_url + "confirm/", follow=True).content.decode()
    assert Evaluation.objects.count() == 0
    assert page.count("不是您所在的单位") == 6
