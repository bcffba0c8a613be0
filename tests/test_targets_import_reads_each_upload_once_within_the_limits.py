"""Target tables go through the form import's pipeline: each upload is read once, in the task, and the preview and
the confirmation read the stored result; the limits of pages per PDF, tables per file and indicators per table are
the form import's, said in Chinese."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from importer import sources
from importer.models import StagedImport
from importer.tasks import read_staged_import
from targets.models import TargetTable
from tests import factory
from tests.reader_helpers import MATERIAL

pytestmark = pytest.mark.django_db
URL = reverse("import_target_tables")
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LAYOUT_TEXT = (MATERIAL / "target-export.pdftotext-layout.txt").read_text(encoding="utf-8")


@pytest.fixture
def staff_client(client):
    client.force_login(factory.make_staff(unit=factory.make_unit()))
    return client


@pytest.fixture
def parse_calls(monkeypatch):
    """Every reading of a file, by file name."""
    calls = []
    parse_file = sources.parse_file

    def counted(data, name, **kwargs):
        calls.append(name)
        return parse_file(data, name, **kwargs)

    monkeypatch.setattr(sources, "parse_file", counted)
    return calls


def upload(client, name, data):
    return client.post(URL, {"files": [SimpleUploadedFile(name, data)]})


def test_each_upload_is_read_once_in_the_task_and_never_again(staff_client, settings, parse_calls):
    settings.TASKS = QUEUED
    staged_url = upload(staff_client, "目标.pdf", (MATERIAL / "target-export.pdf").read_bytes()).url
    assert parse_calls == []  # nothing is read inside the request
    page = staff_client.get(staged_url).content.decode()
    assert "排队等待读取" in page and '<meta http-equiv="refresh"' in page and "确认导入" not in page
    assert reverse("import_target_tables") in page  # 重新上传 goes back to the target tables' upload

    read_staged_import.call(StagedImport.objects.get().pk)  # what a worker does
    for _ in range(2):
        assert "确认后将写入 1 份" in staff_client.get(staged_url).content.decode()
    staff_client.post(staged_url + "confirm/")
    assert TargetTable.objects.get().indicators.count() == 6
    assert parse_calls == ["目标.pdf"]  # neither the preview nor the confirmation read it again


@override_settings(ZPB_IMPORT_MAX_PDF_PAGES=8)
def test_a_pdf_longer_than_the_limit_is_refused_unread(staff_client, parse_calls):
    page = staff_client.get(upload(staff_client, "目标.pdf", (MATERIAL / "sample-export.pdf").read_bytes()).url)
    assert "此 PDF 共 9 页，超过每个文件最多 8 页的上限；请拆分后分批上传。" in page.content.decode()
    assert parse_calls == []


@override_settings(ZPB_IMPORT_MAX_FORMS_PER_FILE=2)
def test_a_file_of_more_tables_than_the_limit_is_refused_whole(staff_client):
    page = staff_client.get(upload(staff_client, "三份.txt", ("\n\n".join([LAYOUT_TEXT] * 3)).encode()).url)
    assert "此文件含 3 份绩效目标表，超过每个文件最多 2 份的上限；请拆分后分批上传。" in page.content.decode()


@override_settings(ZPB_IMPORT_MAX_INDICATORS_PER_FORM=5)
def test_a_table_of_more_indicators_than_the_limit_is_refused_alone(staff_client):
    page = staff_client.get(upload(staff_client, "目标.txt", LAYOUT_TEXT.encode()).url).content.decode()
    assert "此表有 6 项绩效指标，超过每份最多 5 项的上限（与填报页面相同）。" in page and "确认后将写入 0 份" in page
    staff_client.post(reverse("import_confirm", args=[StagedImport.objects.get().pk]))
    assert not TargetTable.objects.exists()
