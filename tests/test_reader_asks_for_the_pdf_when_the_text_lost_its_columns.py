"""Text that no longer says which cell is in which column (pdftotext without -layout writes one cell
a line; pdfplumber's extract_text joins cells with single spaces) is one clear Chinese error that
asks for the PDF itself, never a wrong reading or a silent nothing."""

import pytest

from importer import parsing
from tests.reader_helpers import MATERIAL, read


@pytest.mark.parametrize("name, says", [
    ("sample-export.pdftotext-raw.txt", "每个单元格占一行"),
    ("sample-export.pdfplumber-text.txt", "只隔一个空格"),
])
def test_one_error_that_asks_for_the_pdf(name, says):
    forms, errors = read(MATERIAL / name)
    assert forms == []
    [error] = errors
    assert says in error.message and "请直接上传 PDF 文件" in error.message
    assert error.lines[0] == 1


def test_the_pdf_these_came_from_reads_whole():
    forms, errors = read(MATERIAL / "sample-export.pdf")
    assert (len(forms), errors) == (6, [])


def test_text_of_a_single_form_one_cell_a_line_is_refused_too():
    lines = ["财政项目支出绩效自评表", "(2023 年度)", "项目名称", "绿色技术银行综合管理与运行", "一级指标", "二级指标", "三级指标"]
    forms, errors = parsing.parse_text("\n".join(lines))
    assert forms == [] and "请直接上传 PDF 文件" in errors[0].message


def test_pdfplumbers_tables_alone_lack_the_titles_and_years_and_say_so():
    forms, errors = read(MATERIAL / "sample-export.pdfplumber-tables.txt")
    assert forms == []
    [error] = errors
    assert "有 6 份表格的内容，但没有标题和年度" in error.message and "请直接上传 PDF 文件" in error.message
