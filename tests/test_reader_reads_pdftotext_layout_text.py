"""`pdftotext -layout` text of our export's PDF: cells found from the runs of spaces and their
positions, a row's wrapped lines gathered round its middle line, merged 一级/二级 labels put on the
span they are centred on, a header squeezed by text overprinting it stretched over the rows'
numbers. All six forms read with the dump's figures and flags."""

from importer import grid
from tests.reader_helpers import MATERIAL, SAMPLE, by_project, read


def test_every_form_is_read_as_in_the_dump():
    dump = by_project(read(SAMPLE)[0])
    forms, errors = read(MATERIAL / "sample-export.pdftotext-layout.txt")
    assert errors == []
    assert by_project(forms) == dump


def test_a_header_squeezed_by_text_overprinting_it_still_places_the_scores():
    lines = (MATERIAL / "sample-export.pdftotext-layout.txt").read_text(encoding="utf-8").split("\n")
    # The goal text above runs over the header of 绿色技术银行综合管理与运行: pdftotext squeezes the
    # header's words to the left of the columns they head.
    header = lines[554]
    assert header.index("分值") < lines[556].index("8.00")
    rows = dict(zip(grid.layout_grid(lines).lines, grid.layout_grid(lines).rows))
    assert rows[557][2:7] == ["项目路演/专题对接会", "=2(场)", "2.00(场)", "8.00", "8.00"]


def test_a_line_between_two_rows_goes_to_the_row_whose_cell_it_completes():
    lines = (MATERIAL / "sample-export.pdftotext-layout.txt").read_text(encoding="utf-8").split("\n")
    rows = dict(zip(grid.layout_grid(lines).lines, grid.layout_grid(lines).rows))
    # `平台-平台运营管理` (line 294) ends the name wrapped round line 293, not the one-line row below.
    assert rows[293][2].replace(" ", "") == "“一带一路”沿线国家交流活动科技合平台-平台运营管理"
    assert rows[295][1:3] == ["时效指标", "工作及时完成率"]


def test_numbers_one_space_apart_and_a_header_word_wrapped_below_are_cells_of_their_own():
    lines = [
        "                 年初预算数     全年预算数    全年执 分值      执行率     得分",
        " " * 37 + "行数",
        "  项目资金   年度资金总额          56.00         56.00 55.26 10.00  98.67%     9.86",
    ]
    assert grid.layout_grid(lines).rows == [
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["项目资金", "年度资金总额", "56.00", "56.00", "55.26", "10.00", "98.67%", "9.86"],
    ]
    assert [text for *_, text in grid._segments("风机 1 台 2 套")] == ["风机 1 台 2 套"]


def test_rows_keep_the_line_of_their_middle():
    forms, _ = read(MATERIAL / "sample-export.pdftotext-layout.txt")
    first = next(form for form in forms if form.project_name == "信息化建设项目")
    assert first.lines == (9, 92)


def test_every_form_read_from_laid_out_text_says_to_check_its_texts():
    forms, _ = read(MATERIAL / "sample-export.pdftotext-layout.txt")
    assert all(any("按版面排列的文本" in note["message"] for note in form.notes) for form in forms)


def test_the_goal_header_is_a_row_of_its_own_right_under_the_last_funding_row():
    lines = [
        "项目资金（万元）        年初预算数    全年预算数    全年执行数    分值    执行率(%)   得分",
        "       年度资金总额       1.50        1.50         1.50          10.00        100.00   10.00",
        "       其他资金         0.00        0.00         0.00          -            0.00     -",
        "年度总体目标      预期目标                                  实际完成情况",
    ]
    rows = grid.layout_grid(lines).rows
    assert rows[2] == ["其他资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]
    assert rows[3] == ["年度总体目标", "预期目标", "实际完成情况"]


def test_no_line_crosses_a_header_to_a_row_on_its_other_side():
    lines = [
        "项目资金（万元）        年初预算数    全年预算数    全年执行数    分值    执行率(%)   得分",
        "       其他资金         0.00        0.00         0.00          -            0.00     -",
        "                        预期目标                          实际完成情况",
        "年度    通过购买维修改造服务                      已完成",
    ]
    rows = grid.layout_grid(lines).rows
    assert rows[1] == ["其他资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]
    assert rows[3][0] == "年度"


def test_a_score_printed_past_its_narrow_header_is_the_score():
    lines = [
        " 一级指标 二级指标      三级指标        年度指标值      实际完成值    分值 得分        偏差原因分析及改进措施",
        _at({0: "产出指标", 6: "数量指标", 11: "更新设备", 28: "=1(台)", 39: "1(台)", 45: "10.00", 54: "10.00"}),
    ]
    # 得分 (51–53) is narrower than the score under it, which starts past the header's end.
    rows = grid.layout_grid(lines).rows
    assert rows[1][5:8] == ["10.00", "10.00", ""]


def _at(texts: dict[int, str]) -> str:
    """A line with each text starting at its character position."""
    line = ""
    for position, text in sorted(texts.items()):
        line = line.ljust(position) + text
    return line
