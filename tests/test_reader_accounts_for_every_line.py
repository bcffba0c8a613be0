"""Nothing is lost silently (REPORT-JSON "Every line is accounted for"): a file without a form is an
error (exit 1), text outside the forms is a note, page numbers are furniture, a form whose text is
mojibake is an error of its own, and amounts printed in 元 are reported in 万元."""

from decimal import Decimal

import pytest

from importer import parsing
from tests.reader_helpers import SAMPLE
from tests.test_import_dumps_follows_the_report_contract import run
from tests.test_parser_layout import FUNDING, dump

DUMP = SAMPLE.read_text(encoding="utf-8")


def test_a_file_without_any_form_is_an_error_and_exit_1(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n\n今天讨论了明年的预算安排。\n", encoding="utf-8")
    code, out, err = run(path, "--dry-run", "--json")
    assert code == 1
    assert "失败 1 份" in err
    forms, errors = parsing.parse_text(path.read_text(encoding="utf-8"), "notes.txt")
    assert forms == []
    [error] = errors
    assert error.message.startswith("未找到自评表") and error.lines == (1, 3)


def test_an_empty_file_is_an_error_too():
    forms, errors = parsing.parse_text("\n\n", "empty.txt")
    assert forms == [] and errors[0].message.startswith("未找到自评表")


def test_text_before_the_first_title_is_a_note_on_the_first_form():
    forms, errors = parsing.parse_text("附件：\n2023 年度自评\n\n" + dump(), "dump.txt")
    assert errors == []
    assert forms[0].notes[0] == {"place": "第 1 行至第 2 行", "message": "不属于任何自评表（标题之前的文字），已跳过。"}


def test_page_numbers_are_furniture_not_labels():
    text = dump()
    text = text.replace("\t\t示范区对接调研", "-1-\n\n\t\t示范区对接调研").replace("总分\t", "第 2 页\n总分\t")
    forms, errors = parsing.parse_text(text, "dump.txt")
    assert errors == []
    levels = [(i.level1, i.level2, i.name) for i in forms[0].figures.indicators]
    assert levels[:2] == [("产出指标", "数量指标", "项目路演/专题对接会"), ("产出指标", "数量指标", "示范区对接调研")]


@pytest.mark.parametrize("garble", [
    lambda text: text.encode("utf-8").decode("latin-1"),  # UTF-8 read as Latin-1 and saved again
    lambda text: text.encode("utf-8").decode("gbk", errors="replace"),  # UTF-8 read as GBK
])
def test_a_form_in_mojibake_is_an_error_and_the_others_read(garble):
    first_end = DUMP.index("财政项目支出绩效自评表", 10)
    second_end = DUMP.index("财政项目支出绩效自评表", first_end + 10)
    text = DUMP[:first_end] + garble(DUMP[first_end:second_end]) + DUMP[second_end:]
    forms, errors = parsing.parse_text(text, "mixed.txt")
    assert len(forms) == 5 and "火灾报警系统升级改造" not in [form.project_name for form in forms]
    [error] = errors
    assert "乱码" in error.message
    assert error.lines[0] == DUMP[:first_end].count("\n") + 1


def test_amounts_in_yuan_are_reported_in_wan_yuan_with_the_unit_printed():
    in_yuan = (FUNDING.replace("项目资金 (万元)", "项目资金 (元)")
               .replace("135.00", "1350000.00").replace("129.67", "1296712.50"))
    forms, errors = parsing.parse_text(dump(funding=in_yuan), "yuan.txt")
    assert errors == []
    [form] = forms
    assert form.amount_unit == "元" and form.profile == "shanghai-district"
    total = form.figures.funding[0]
    # 1,296,712.50 元 is 129.67125 万元: rounded half-up to 129.67.
    assert (total.budget_initial, total.budget_full_year, total.executed) == (Decimal("135.00"), Decimal("135.00"), Decimal("129.67"))
    assert (total.weight, total.rate, total.score) == (Decimal("10.00"), Decimal("96.05"), Decimal("9.60"))
