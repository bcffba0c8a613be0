"""Uploads that are neither a text dump nor a workbook, or a workbook that would unpack to far more than it
weighs (a "zip bomb"), are refused at upload with a clear Chinese message; nothing is staged."""

import functools
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importer import parsing, sources
from importer.models import StagedImport
from tests import factory

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parent.parent / "importer" / "samples" / "sstec-2023-self-evaluations.txt"


def zip_of(members, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@functools.cache
def bomb():
    """A small .xlsx-looking archive whose sheet unpacks to a thousand times its size (bombs reach millions)."""
    return zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>",
                   "xl/worksheets/sheet1.xml": b"<" + b"a" * (30 * 1024 * 1024) + b">"})


def pdf():
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


CASES = {
    "图片.png": (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG 图片"),
    "照片.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "JPEG 图片"),
    "自评表.pdf": (pdf(), "PDF 文件"),
    "压缩包.zip": (zip_of({"说明.txt": "不是工作簿"}), "不是 Excel 工作簿"),
    "文档.docx": (zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}), "Word 文档"),
    "损坏.xlsx": (b"PK\x03\x04" + b"\x00" * 200, "已损坏"),
    "炸弹.xlsx": (bomb(), "解压后"),
    # bzip2 members may unpack a whole chunk past their declared size; no spreadsheet program writes them.
    "bzip2.xlsx": (zip_of({"xl/workbook.xml": "<workbook/>"}, zipfile.ZIP_BZIP2), "不是可读取的 Excel 工作簿"),
}


@pytest.fixture
def importer_client(client):
    client.force_login(factory.make_reviewer())
    return client


@pytest.mark.parametrize("name", list(CASES))
def test_the_upload_is_refused_with_a_chinese_reason(importer_client, name):
    data, reason = CASES[name]
    response = importer_client.post(reverse("import_upload"), {"files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"文件“{name}”不是 PDF、文本文件或 .xlsx 工作簿" in page and reason in page
    assert not StagedImport.objects.exists()


def test_the_bomb_is_small_and_is_refused_without_unpacking_it():
    data = bomb()
    assert len(data) < 1024 * 1024
    with pytest.raises(parsing.ParseError, match="解压后"):
        sources.parse_file(data, "炸弹.xlsx")  # the import_dumps command's path refuses it too


def test_real_forms_still_pass(importer_client):
    workbook = factory.xlsx_bytes([factory.make_evaluation()], summary=False)
    for name, data in (("sstec.txt", SAMPLE.read_bytes()), ("form.xlsx", workbook)):
        response = importer_client.post(reverse("import_upload"), {"files": [SimpleUploadedFile(name, data)]})
        assert response.status_code == 302, name
