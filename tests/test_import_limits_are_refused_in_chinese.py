"""Past a limit of the import (pages per PDF, forms per file, indicators per form) the file or the form is
refused with a Chinese reason that names the limit; the rest of the upload is read as usual."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.forms import MAX_INDICATORS
from importer import staging
from importer.form_import import FORMS
from importer.models import StagedImport
from tests import factory

MATERIAL = Path(__file__).resolve().parent / "material"
SAMPLE = factory.SAMPLE_DUMP


def limits(pages=200, forms=1000, indicators=100):
    return staging.Limits(pdf_pages=pages, forms_per_file=forms, indicators_per_form=indicators)


def test_a_pdf_with_more_pages_than_allowed_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(staging, "parse_file", lambda data, name: pytest.fail("a refused PDF is not read"))
    data = (MATERIAL / "sample-export.pdf").read_bytes()
    forms, errors = staging.read_file(data, "导出.pdf", limits(pages=8), FORMS)
    assert forms == []
    assert [(e.file, e.message) for e in errors] == [("导出.pdf", "此 PDF 共 9 页，超过每个文件最多 8 页的上限；请拆分后分批上传。")]


def test_the_page_count_walks_the_page_tree_and_leaves_broken_files_to_the_reader():
    assert staging.pdf_page_count((MATERIAL / "sample-export.pdf").read_bytes()) == 9
    assert staging.pdf_page_count(b"%PDF-1.4\nnot a pdf at all") is None
    assert staging.pdf_page_count(SAMPLE.read_bytes()) is None


def test_a_file_with_more_forms_than_allowed_is_refused_whole():
    forms, errors = staging.read_file(SAMPLE.read_bytes(), "sstec.txt", limits(forms=5), FORMS)
    assert forms == []
    assert [e.message for e in errors] == ["此文件含 6 份自评表，超过每个文件最多 5 份的上限；请拆分后分批上传。"]
    assert len(staging.read_file(SAMPLE.read_bytes(), "sstec.txt", limits(forms=6), FORMS)[0]) == 6


def test_a_form_with_more_indicators_than_the_entry_page_allows_is_an_error_of_its_own():
    forms, errors = staging.read_file(SAMPLE.read_bytes(), "sstec.txt", limits(indicators=15), FORMS)
    assert len(forms) == 5
    [error] = errors
    assert (error.project_name, error.message) == ("国内外科技合作交流", "此表有 33 项绩效指标，超过每份最多 15 项的上限（与填报页面相同）。")
    assert error.lines[0] > 0


@pytest.mark.django_db
def test_the_limits_come_from_the_settings_and_show_in_the_preview(client, settings):
    settings.ZPB_IMPORT_MAX_INDICATORS_PER_FORM = 14
    settings.ZPB_IMPORT_MAX_FORMS_PER_FILE = 6
    client.force_login(factory.make_staff())
    text = SAMPLE.read_bytes()
    response = client.post("/import/", {"files": [SimpleUploadedFile("一.txt", text), SimpleUploadedFile("二.txt", text * 2)]})
    page = client.get(response.url).content.decode()
    assert "此文件含 12 份自评表，超过每个文件最多 6 份的上限" in page
    assert "此表有 33 项绩效指标，超过每份最多 14 项的上限" in page and "此表有 15 项绩效指标" in page
    assert "确认后将写入 4 份" in page
    assert "<td>二.txt</td>" in page and "0–0" not in page  # a whole file's error has no place in it
    assert "一.txt · 第 125–180 行" in page  # a form's has its lines
    assert StagedImport.objects.get().state == StagedImport.State.READ


def test_the_entry_page_and_the_import_allow_as_many_indicators(settings):
    assert settings.ZPB_IMPORT_MAX_INDICATORS_PER_FORM == MAX_INDICATORS == 100
