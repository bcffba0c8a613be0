"""Text beginning with = + - @ tab or CR is written as plain text: visible as typed, never a formula."""

import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests import factory

pytestmark = pytest.mark.django_db

FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("name", FORMULA_LIKE)
def test_a_formula_like_project_name_is_exported_as_text(name):
    evaluation = factory.make_evaluation(factory.make_project(name))
    data = factory.xlsx_bytes([evaluation])
    workbook = load_workbook(BytesIO(data))
    form, summary = workbook.worksheets[1], workbook["汇总"]
    for cell in (form["C3"], summary["B2"]):
        assert cell.value == name  # a carriage return too is kept (written as &#13;)
        assert cell.data_type == "s"
        assert cell.quotePrefix  # a spreadsheet keeps it text when the cell is edited
    assert b"<f>" not in _sheet_xml(data)


def test_indicator_text_and_goals_are_inert_too():
    figures = factory.clean_figures(indicators=[
        factory.indicator(name="=1+1", target="=2(场)", actual="+2.00(场)", weight="50.00"),
        factory.indicator("效益指标", "社会效益指标", "@x", "≥90(%)", "95.00(%)", "30.00", deviation="-无"),
        factory.indicator("满意度指标", "服务对象满意度指标", "满意度", "满意", "达成指标", "10.00"),
    ])
    evaluation = factory.make_evaluation(figures=figures, goal_expected="=A1", goal_actual="+A1")
    sheet = load_workbook(BytesIO(factory.xlsx_bytes([evaluation], summary=False))).active
    for coordinate, text in {"C13": "=1+1", "D13": "=2(场)", "E13": "+2.00(场)", "C14": "@x", "H14": "-无",
                             "B11": "=A1", "E11": "+A1"}.items():
        assert (sheet[coordinate].value, sheet[coordinate].data_type) == (text, "s"), coordinate
        assert sheet[coordinate].quotePrefix, coordinate
    assert not sheet["C15"].quotePrefix  # ordinary text is left alone


def _sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
