"""Markup is taken out where extractors put it (text dumps carry `<p>`, `&nbsp;`), never out of what a person
typed into a workbook: `<b>重点</b>`, `a<b` and `&lt;` read back as typed, and the pages show them as text."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from importer import parsing, sources
from tests import factory

MATERIAL = Path(__file__).resolve().parent / "material"
TYPED = {"C3": "信息化<b>重点</b>项目", "C13": "a<b 协同管理模块", "H13": "见&lt;附件&gt;与 R&D 说明", "B11": "第一段\n<p>第二段</p>"}


def typed_workbook() -> bytes:
    """Our export of the sample, its first form's cells typed over with markup-like text."""
    book = load_workbook(MATERIAL / "sample-export.xlsx")
    sheet = book.worksheets[1]
    for cell, text in TYPED.items():
        sheet[cell] = text
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbooks_typed_markup_is_read_as_typed():
    forms, errors = sources.parse_file(typed_workbook(), "typed.xlsx")
    assert errors == []
    form = forms[0]
    first = form.figures.indicators[0]
    assert form.project_name == "信息化<b>重点</b>项目"
    assert first.name == "a<b 协同管理模块"
    assert first.deviation == "见&lt;附件&gt;与 R&D 说明"
    # A line break typed in a cell is a paragraph; the typed tag in it stays text.
    assert form.goal_expected == "第一段\n<p>第二段</p>"


def test_the_same_text_in_a_dump_loses_the_markup_its_extractor_left():
    text = factory.SAMPLE_DUMP.read_text(encoding="utf-8").replace("信息化建设项目", "信息化<b>重点</b>项目", 1)
    forms, errors = parsing.parse_text(text, "dump.txt")
    assert errors == [] and "信息化重点项目" in [form.project_name for form in forms]


@pytest.mark.django_db
def test_the_import_preview_shows_the_typed_markup_as_text(client):
    client.force_login(factory.make_staff())
    upload = SimpleUploadedFile("typed.xlsx", typed_workbook())
    page = client.post(reverse("import_upload"), {"files": [upload]}, follow=True).content.decode()
    assert "信息化&lt;b&gt;重点&lt;/b&gt;项目" in page
    assert "<b>重点" not in page
