"""importer.xlsx on workbooks edited by hand: rows added, numbers typed as text, broken sheets, foreign files.
Each sheet is read by the one form reader, by the same rules as a PDF or a text dump."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from importer import parsing, sources, xlsx
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    """The exported workbook of two sample forms, open for editing."""
    evaluations = [factory.make_sample_evaluation(factory.sample_form(name)) for name in ("火灾报警系统升级改造", "技术转移合作")]
    return load_workbook(BytesIO(factory.xlsx_bytes(evaluations)))


def parse(book):
    out = BytesIO()
    book.save(out)
    return xlsx.parse_workbook(out.getvalue(), "edited.xlsx")


def test_an_exported_workbook_is_recognised_and_a_text_dump_is_not(book):
    out = BytesIO()
    book.save(out)
    assert xlsx.looks_like_xlsx(out.getvalue())
    assert not xlsx.looks_like_xlsx("财政项目支出绩效自评表\n".encode())
    forms, errors = sources.parse_file(out.getvalue(), "edited.xlsx")
    assert [form.project_name for form in forms] == ["火灾报警系统升级改造", "技术转移合作"] and errors == []


def test_a_row_inserted_under_a_merged_label_takes_its_labels(book):
    sheet = book["火灾报警系统升级改造"]
    sheet.insert_rows(14)  # inside the 产出指标 / 数量指标 run, its A and B cells left empty
    for column, value in zip("CDEFGH", ["新增巡检", "=4(次)", "4.00(次)", "8", "8.00", None]):
        sheet[f"{column}14"] = value
    sheet["D14"].data_type = "s"
    [form, _], errors = parse(book)
    assert errors == []
    added = form.figures.indicators[1]
    assert (added.level1, added.level2, added.name, added.target) == ("产出指标", "数量指标", "新增巡检", "=4(次)")
    assert (added.weight, added.score) == (Decimal("8.00"), Decimal("8.00"))  # "8" typed as text is a number too


def test_a_spreadsheet_float_is_read_as_the_decimal_it_shows(book):
    book["技术转移合作"]["G13"] = 0.1 + 0.2 + 4.7  # 5.000000000000001
    [_, form], _ = parse(book)
    assert form.figures.indicators[0].score == Decimal("5.00")


def test_a_broken_sheet_is_an_error_and_the_other_sheets_are_still_read(book):
    sheet = book["技术转移合作"]
    sheet["F15"] = "五分"
    forms, errors = parse(book)
    assert [form.project_name for form in forms] == ["火灾报警系统升级改造"]
    [error] = errors
    assert (error.file, error.lines, error.project_name) == ("edited.xlsx[技术转移合作]", (1, 28), "技术转移合作")
    assert error.message == "第 15 行：分值“五分”不是数字。"


@pytest.mark.parametrize("change, message", [
    (lambda sheet: sheet.__setitem__("C20", "甲"), "第 20 行：评分等级“甲”不是优、良、中、差之一。"),
    (lambda sheet: sheet.__setitem__("A2", "（年度）"), "标题下缺少年度，如“(2023 年度)”。"),
    (lambda sheet: sheet.__setitem__("A1", "说明"), parsing.NO_FORM + "有 1 份表格的内容，但没有标题和年度"),
])
def test_what_is_wrong_is_said_in_chinese(book, change, message):
    change(book["火灾报警系统升级改造"])
    _, errors = parse(book)
    assert [error.message[:len(message)] for error in errors] == [message]


def test_what_a_sheet_does_not_print_is_read_as_not_printed_as_in_any_other_source(book):
    sheet = book["火灾报警系统升级改造"]
    sheet["C8"] = "-"  # 上年结转资金's 年初预算数
    sheet["G19"] = None  # 总分's score
    sheet["B9"] = "别的资金"  # a funding row of no known kind
    forms, errors = parse(book)
    assert errors == []
    [form] = [form for form in forms if form.project_name == "火灾报警系统升级改造"]
    funding = {line.label: line for line in form.figures.funding}
    assert funding["上年结转资金"].budget_initial is None
    assert form.figures.declared_total is None
    assert "其他资金" not in funding
    assert {note["place"]: note["message"] for note in form.notes} == {
        "第 9 行": "未识别的行“别的资金 0 0 0 - 0 -”，已跳过。",
        "第 19 行": "总分行没有印得分，总分按未填写处理。",
    }


def test_a_notes_sheet_without_a_form_is_passed_over(book):
    book.create_sheet("填表说明")["A1"] = "请按表填写，金额单位为万元。"
    forms, errors = parse(book)
    assert len(forms) == 2 and errors == []


def test_files_that_are_not_xlsx_workbooks_are_refused():
    with pytest.raises(parsing.ParseError, match="另存为"):
        xlsx.parse_workbook(xlsx.XLS_MAGIC + b"\0" * 100, "old.xls")
    with pytest.raises(parsing.ParseError, match="不是可读取的 Excel 工作簿"):
        xlsx.parse_workbook(b"PK\x03\x04 truncated", "broken.xlsx")
    empty = BytesIO()
    Workbook().save(empty)
    assert xlsx.parse_workbook(empty.getvalue(), "empty.xlsx") == ([], [])
