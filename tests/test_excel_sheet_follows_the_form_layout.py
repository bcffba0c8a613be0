"""One evaluation → one sheet exactly as FORM-LAYOUT.md: values, merges, number formats, styles, print setup."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluations import scoring
from tests import factory

pytestmark = pytest.mark.django_db

D = Decimal
FORM = factory.sample_form("国内外科技合作交流")
N = len(FORM["indicators"])  # 33
LAST = 14 + N
GOAL_EXPECTED = "一、围绕重点地区交流活动，推进合作。\n二、通过平台建设，促进交流。" * 6
GOAL_ACTUAL = "一、发挥协作网络牵引辐射作用。"

# Worked out by hand from the spec for the 33 rows: 产出 13–35 (数量 13–27, 质量 28–34, 时效 35),
# 效益 36–44 (社会 36–42, 可持续影响 43–44), 满意度 45; one-row runs are not merged.
MERGES = {
    "A1:H1", "A2:H2", "A3:B3", "C3:H3", "A4:B4", "C4:D4", "F4:H4", "A5:A9", "A10:A11", "B10:D10", "E10:H10",
    "B11:D11", "E11:H11", "A13:A35", "B13:B27", "B28:B34", "A36:A44", "B36:B42", "B43:B44", "A46:E46",
    "A47:B47", "C47:H47",
}


@pytest.fixture
def workbook_bytes():
    evaluation = factory.make_sample_evaluation(FORM)
    evaluation.goal_expected, evaluation.goal_actual = GOAL_EXPECTED, GOAL_ACTUAL
    evaluation.save()
    return factory.xlsx_bytes([evaluation], summary=False)


@pytest.fixture
def sheet(workbook_bytes):
    workbook = load_workbook(BytesIO(workbook_bytes))
    assert workbook.sheetnames == ["国内外科技合作交流"]
    return workbook.active


@pytest.fixture
def styled(workbook_bytes):
    """Read-only mode keeps each cell's own style, also under merges."""
    sheet = load_workbook(BytesIO(workbook_bytes), read_only=True).active
    return {cell.coordinate: cell for row in sheet.iter_rows() for cell in row if hasattr(cell, "coordinate")}


def values(sheet, row):
    """Row `row`, A–H, numbers as the Decimals they show."""
    return [_decimal(sheet.cell(row, column).value) for column in range(1, 9)]


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else value


def test_the_sheet_has_14_plus_n_rows_and_exactly_the_spec_merges(sheet):
    assert sheet.max_row == LAST
    assert {str(merge) for merge in sheet.merged_cells.ranges} == MERGES


def test_head_rows(sheet):
    assert values(sheet, 1) == ["财政项目支出绩效自评表", *[None] * 7]
    assert values(sheet, 2) == ["（2023年度）", *[None] * 7]
    assert values(sheet, 3) == ["项目名称", None, "国内外科技合作交流", *[None] * 5]
    assert values(sheet, 4) == ["主管部门", None, "上海市科学技术委员会", None, "实施单位", "上海科学技术交流中心", None, None]
    assert values(sheet, 5) == ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]


def test_funding_rows_are_numbers_formatted_0_00_with_dashes_where_the_form_has_none(sheet):
    assert values(sheet, 6) == [None, "年度资金总额", D("439.02"), D("439.02"), D("415.18"), D("10"), D("94.56"), D("9.45")]
    assert values(sheet, 7) == [None, "其中：当年财政拨款", D("439.02"), D("439.02"), D("415.18"), "-", D("94.56"), "-"]
    assert values(sheet, 8) == [None, "上年结转资金", 0, 0, 0, "-", 0, "-"]
    assert values(sheet, 9) == [None, "其他资金", 0, 0, 0, "-", 0, "-"]
    for row in range(6, 10):
        for column in "CDEG":
            cell = sheet[f"{column}{row}"]
            assert cell.data_type == "n" and cell.number_format == "0.00", cell.coordinate
    assert sheet["F6"].number_format == sheet["H6"].number_format == "0.00"


def test_goal_rows(sheet):
    assert values(sheet, 10) == ["年度总体目标", "预期目标", None, None, "实际完成情况", None, None, None]
    assert values(sheet, 11) == [None, GOAL_EXPECTED, None, None, GOAL_ACTUAL, None, None, None]
    assert sheet["B11"].alignment.wrap_text and sheet["E11"].alignment.wrap_text
    assert sheet.row_dimensions[11].height > 5 * sheet.row_dimensions[10].height  # tall enough for 12 paragraphs


def test_indicator_rows_in_order_with_labels_at_the_top_of_their_runs(sheet):
    assert values(sheet, 12) == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                 "偏差原因分析及改进措施"]
    previous = (None, None)
    for row, (level1, level2, name, target, actual, weight, score, deviation) in enumerate(FORM["indicators"], 13):
        shown1 = level1 if level1 != previous[0] else None
        shown2 = level2 if (level1, level2) != previous else None
        assert values(sheet, row) == [shown1, shown2, name, target, actual, D(weight), D(score), deviation or None]
        assert sheet[f"F{row}"].number_format == sheet[f"G{row}"].number_format == "0.00"
        assert sheet[f"D{row}"].data_type == "s"  # "=3.00(次)" is text, not a formula
        previous = (level1, level2)


def test_total_and_grade_rows(sheet):
    assert values(sheet, LAST - 1) == ["总分", None, None, None, None, D("100"), D("99.45"), None]
    assert sheet[f"F{LAST - 1}"].number_format == sheet[f"G{LAST - 1}"].number_format == "0.00"
    assert values(sheet, LAST) == ["评分等级", None, "优", *[None] * 5]


def test_every_grid_cell_has_thin_borders_and_the_title_rows_none(styled):
    for row in range(3, LAST + 1):
        for column in "ABCDEFGH":
            border = styled[f"{column}{row}"].border
            assert {border.left.style, border.right.style, border.top.style, border.bottom.style} == {"thin"}, f"{column}{row}"
    assert styled["A1"].border.left is None or styled["A1"].border.left.style is None


def test_fonts_are_songti_10_to_11_points_and_the_title_bold(styled):
    for coordinate, cell in styled.items():
        if cell.value is not None:
            assert cell.font.name == "宋体" and 10 <= cell.font.sz <= 11, coordinate
    assert styled["A1"].font.b
    assert not styled["C3"].font.b


def test_column_widths_and_long_rows_taller(sheet):
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGH"]
    assert widths[2] == max(widths) and all(w >= 8 for w in widths)
    # Row 30: a 47-character target in column D wraps over several lines.
    assert sheet.row_dimensions[30].height > 2 * sheet.row_dimensions[LAST].height


def test_print_setup_a4_portrait_one_page_wide_with_the_indicator_header_repeated(sheet):
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$12:$12"


def test_indicators_are_ordered_by_level_keeping_the_stored_order_within_a_level2():
    stored = [
        factory.indicator("满意度指标", "服务对象满意度指标", "满意度", weight="10.00"),
        factory.indicator("效益指标", "社会效益指标", "社会 1", weight="10.00"),
        factory.indicator("产出指标", "质量指标", "质量 1", weight="10.00"),
        factory.indicator("产出指标", "数量指标", "数量 1", weight="10.00"),
        factory.indicator("效益指标", "经济效益指标", "经济 1", weight="10.00"),
        factory.indicator("产出指标", "数量指标", "数量 2", weight="10.00"),
        factory.indicator("产出指标", "质量指标", "质量 2", weight="10.00"),
        factory.indicator("效益指标", "社会效益指标", "社会 2", weight="10.00"),
        factory.indicator("产出指标", "数量指标", "数量 3", weight="10.00"),
    ]
    evaluation = factory.make_evaluation(figures=factory.clean_figures(indicators=stored))
    sheet = load_workbook(BytesIO(factory.xlsx_bytes([evaluation], summary=False))).active
    names = [sheet.cell(row, 3).value for row in range(13, 13 + len(stored))]
    assert names == ["数量 1", "数量 2", "数量 3", "质量 1", "质量 2", "经济 1", "社会 1", "社会 2", "满意度"]
    merges = {str(merge) for merge in sheet.merged_cells.ranges}
    assert {"A13:A17", "B13:B15", "B16:B17", "A18:A20", "B19:B20"} <= merges
    assert not any(merge.startswith(("A21", "B18", "B21")) for merge in merges)


def test_computed_figures_fill_in_where_none_were_declared():
    figures = factory.clean_figures(
        funding=factory.funding_figures("200.00", "150.00"),  # no declared rate or score
        declared_total=None,
        declared_grade="",
    )
    evaluation = factory.make_evaluation(figures=figures)
    sheet = load_workbook(BytesIO(factory.xlsx_bytes([evaluation], summary=False))).active
    assert [_decimal(sheet[c].value) for c in ("F6", "G6", "H6", "G7")] == [D("10"), D("75"), D("7.5"), D("75")]
    assert _decimal(sheet["G16"].value) == D("97.5")  # 7.50 + 50 + 30 + 10
    assert sheet["C17"].value == scoring.grade_for(D("97.50")) == "优"
