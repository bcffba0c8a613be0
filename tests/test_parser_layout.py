"""One small synthetic dump per layout problem of the PDF text dumps, built from snippets of the sample."""

import codecs
from decimal import Decimal

import pytest

from importer import parsing
from importer.parsing import FormError, ParseError, decode, parse_bytes, parse_text

TITLE = "财政项目支出绩效自评表\n (2023 年度)\n\n"
HEAD = (
    "项目名称\t\t绿色技术银行综合管理与运行\t\t\t\t\t\t\n"
    "主管部门\t\t上海市科学技术委员会\t\t\t实施单位\t\t上海科学技术交流中心\t\n"
)
FUNDING = (
    "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分\t\n"
    "\t年度资金总额:\t135.00\t135.00\t129.67\t10.00\t96.05\t9.60\t\n"
    "\t其中: 当年财政拨款\t135.00\t135.00\t129.67\t-\t96.05\t-\t\n"
    "\t上年结转资金\t0.00\t0.00\t0.00\t-\t0.00\t-\t\n"
    "\t其他资金\t0.00\t0.00\t0.00\t-\t0.00\t-\t\n"
)
GOAL = (
    "年度\t预期目标\t\t\t实际完成情况\t\t\t\t\n"
    "总体目标\t每季度组织专题工作会议。\t\t\t1.持续推进部市共建。\t\t\t\t\n"
)
HEADER = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
ROWS = (
    "产出指标\t数量指标\t项目路演/专题对接会\t=2(场)\t2.00(场)\t8.00\t8.00\t\n"
    "\t\t示范区对接调研\t=1.00(次)\t1.00(次)\t8.00\t8.00\t\n"
    "满意度指标\t服务对象满意度指标\t服务对象满意度\t满意\t达成指标\t6.00\t6.00\t\n"
)
END = "总分\t\t\t\t\t100.00\t99.60\t\n评分等级\t\t优\t\t\t\t\t\n"


def dump(*, title=TITLE, head=HEAD, funding=FUNDING, goal=GOAL, header=HEADER, rows=ROWS, end=END) -> str:
    return title + head + funding + goal + header + rows + end


def only_form(text: str) -> parsing.ParsedForm:
    forms, errors = parse_text(text, "dump.txt")
    assert errors == []
    assert len(forms) == 1
    return forms[0]


def indicators(form) -> list[tuple]:
    return [
        (i.level1, i.level2, i.name, i.target, i.actual, str(i.weight), str(i.score), i.deviation)
        for i in form.figures.indicators
    ]


def funding(form) -> dict[str, tuple]:
    return {
        line.kind: tuple(None if v is None else str(v) for v in (
            line.budget_initial, line.budget_full_year, line.executed, line.weight, line.rate, line.score
        ))
        for line in form.figures.funding
    }


def line_number(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the `occurrence`-th `needle`."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return found[occurrence - 1]


# --- The plain form ---------------------------------------------------------


def test_the_plain_form_reads_as_printed():
    form = only_form(dump())
    assert (form.year, form.project_name, form.department, form.unit) == (
        2023, "绿色技术银行综合管理与运行", "上海市科学技术委员会", "上海科学技术交流中心"
    )
    assert funding(form) == {
        "total": ("135.00", "135.00", "129.67", "10.00", "96.05", "9.60"),
        "current_year": ("135.00", "135.00", "129.67", None, "96.05", None),
        "carryover": ("0.00", "0.00", "0.00", None, "0.00", None),
        "other": ("0.00", "0.00", "0.00", None, "0.00", None),
    }
    assert (form.goal_expected, form.goal_actual) == ("每季度组织专题工作会议。", "1.持续推进部市共建。")
    assert indicators(form) == [
        ("产出指标", "数量指标", "项目路演/专题对接会", "=2(场)", "2.00(场)", "8.00", "8.00", ""),
        ("产出指标", "数量指标", "示范区对接调研", "=1.00(次)", "1.00(次)", "8.00", "8.00", ""),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "满意", "达成指标", "6.00", "6.00", ""),
    ]
    assert (form.figures.declared_total, form.figures.declared_grade) == (Decimal("99.60"), "优")
    assert form.has_deviation_column is True
    assert form.lines == (1, dump().count("\n"))
    assert form.warnings == []


def test_a_printed_rate_is_kept_even_when_wrong():
    wrong = FUNDING.replace("129.67\t10.00\t96.05\t9.60", "129.67\t10.00\t99.99\t9.99")
    form = only_form(dump(funding=wrong))
    total = form.figures.funding_line("total")
    assert (total.rate, total.score) == (Decimal("99.99"), Decimal("9.99"))


# --- Columns mapped by their header labels ------------------------------------


def test_an_extra_empty_column_before_the_amounts_and_the_targets():
    # Form 2: the funding block and the indicator grid have an empty column more.
    form = only_form(dump(
        funding=(
            "项目资金 （万元）\t\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分\n"
            "\t\t年度资金总额：\t56.00\t56.00\t55.26\t10.00\t98.67\t9.86\n"
            "\t\t其中：当年财政拨款\t56.00\t56.00\t55.26\t-\t98.67\t-\n"
            "\t\t上年结转资金\t0.00\t0.00\t0.00\t-\t0.00\t-\n"
            "\t\t其他资金\t0.00\t0.00\t0.00\t-\t0.00\t-\n"
        ),
        header="一级 指标\t二级 指标\t三级指标\t\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n",
        rows=(
            "产出 指标\t数量 指标\t更新消防报警系统\t\t报警联动控制器 1 台\t达成指标\t10.00\t10.00\t\n"
            "\t质量 指标\t工程验收合格率\t\t=100.00(百分比)\t95.00(百分比)\t20.00\t19.00\t验收延期\n"
        ),
    ))
    assert funding(form)["total"] == ("56.00", "56.00", "55.26", "10.00", "98.67", "9.86")
    assert funding(form)["current_year"] == ("56.00", "56.00", "55.26", None, "98.67", None)
    assert indicators(form) == [
        ("产出指标", "数量指标", "更新消防报警系统", "报警联动控制器 1 台", "达成指标", "10.00", "10.00", ""),
        ("产出指标", "质量指标", "工程验收合格率", "=100.00(百分比)", "95.00(百分比)", "20.00", "19.00", "验收延期"),
    ]


def test_funding_rows_shifted_against_their_header_are_read_after_their_label():
    shifted = FUNDING.replace("\n\t", "\n\t\t")  # the rows gain an empty column, the header does not
    form = only_form(dump(funding=shifted))
    assert funding(form)["total"] == ("135.00", "135.00", "129.67", "10.00", "96.05", "9.60")
    assert funding(form)["other"] == ("0.00", "0.00", "0.00", None, "0.00", None)


def test_the_goal_block_columns_vary():
    form = only_form(dump(goal=(
        "年度 总体 目标\t\t预期目标\t\t\t\t实际完成情况\t\n"
        "\t\t完成系统 开发。\t\t\t\t系统已上线。\t\n"
    )))
    assert (form.goal_expected, form.goal_actual) == ("完成系统开发。", "系统已上线。")


# --- Page breaks ------------------------------------------------------------


def test_a_row_split_by_a_page_break_continues_the_cells_above():
    # Form 1, indicator 11: its 二级 `时效` and its target go on after the break.
    text = dump(rows=(
        "产出指标\t质量指标\t常态化运维绿色技术信息平台\t保障平台安全稳定运行\t达成指标\t4.00\t4.00\t\n"
        "\t时效\t各项工作及时完成率\t根据季度目\t达成指标\t2.00\t2.00\t\n"
        "\n"
        "\t指标\t\t标在 2023 年 12 月前完成各项工作\t\t\t\t\n"
        "效益指标\t社会效益指标\t推动绿色技术转移转化\t提升绿色技术银行影响力\t达成指标\t8.00\t8.00\t\n"
    ))
    form = only_form(text)
    assert indicators(form) == [
        ("产出指标", "质量指标", "常态化运维绿色技术信息平台", "保障平台安全稳定运行", "达成指标", "4.00", "4.00", ""),
        ("产出指标", "时效指标", "各项工作及时完成率", "根据季度目标在 2023 年 12 月前完成各项工作", "达成指标",
         "2.00", "2.00", ""),
        ("效益指标", "社会效益指标", "推动绿色技术转移转化", "提升绿色技术银行影响力", "达成指标", "8.00", "8.00", ""),
    ]
    continued, continuing = line_number(text, "\t指标\t\t标在"), line_number(text, "\t时效\t")
    assert any(f"第 {continued} 行" in w and f"第 {continuing} 行" in w for w in form.warnings)


def test_after_a_page_break_the_grid_is_that_of_the_new_page():
    # Form 2, indicator 5: the header has an extra empty column, the page after the break does not.
    form = only_form(dump(
        header="一级 指标\t二级 指标\t三级指标\t\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n",
        rows=(
            "效益 指标\t社会 效益 指标\t报警系统运行情况\t\t确保报警系统运行可靠 能发挥作用 消除消防安全隐患，达"
            "\t达成指标\t10.00\t10.00\t\n"
            "\n"
            "\t\t\t到符合消防 法规定和消 防验收标准\t\t\t\t\n"
            "满意 度指 标\t服务 对象 满意 度指 标\t综合满意度\t>90.00(百分 比)\t100.00(百分 比)\t10.00\t10.00\t\n"
        ),
        end="总分\t\t\t\t\t100.00\t99.86\t\n评分等级\t\t优\t\t\t\t\t\n",
    ))
    assert indicators(form) == [
        ("效益指标", "社会效益指标", "报警系统运行情况",
         "确保报警系统运行可靠能发挥作用消除消防安全隐患，达到符合消防法规定和消防验收标准", "达成指标",
         "10.00", "10.00", ""),
        ("满意度指标", "服务对象满意度指标", "综合满意度", ">90.00(百分比)", "100.00(百分比)", "10.00", "10.00", ""),
    ]


def test_a_name_split_over_two_rows_is_one_indicator():
    # Form 5, indicator 14: the numbers are on the first row, the end of the name after the break.
    form = only_form(dump(rows=(
        "产出指标\t数量指标\t加强国内科技合作高质量发展-促\t≥3.00(项)\t4.00(项)\t3.00\t3.00\t\n"
        "\n"
        "\t\t成项目合作签约\t\t\t\t\t\n"
        "\t\t2023 年度科技服务示范案例片- 拍摄案例片\t=5.00(条)\t5.00(条)\t2.00\t2.00\t\n"
    )))
    assert [i.name for i in form.figures.indicators] == [
        "加强国内科技合作高质量发展-促成项目合作签约",
        "2023 年度科技服务示范案例片- 拍摄案例片",
    ]
    assert indicators(form)[0][3:7] == ("≥3.00(项)", "4.00(项)", "3.00", "3.00")


def test_the_goal_texts_go_on_over_a_page_break():
    # Form 5: after the break the goal fragments sit one column further right.
    form = only_form(dump(goal=(
        "年度 总体 目标\t预期目标\t\t\t实际完成情况\t\t\t\n"
        "\t一、围绕重点地区交流活动。\t\t\t一、发挥协作网络作用，签订战略合\t\t\t\n"
        "\t二、通过平台建设。\t\t\t\t\t\t\n"
        "\t三、积极融入上海科技创新中心\t\t\t\t\t\t\n"
        "\n"
        "\t\t建设和长三角一体化发展。\t\t\t作协议。\t\t\n"
    )))
    assert form.goal_expected == "一、围绕重点地区交流活动。二、通过平台建设。三、积极融入上海科技创新中心建设和长三角一体化发展。"
    assert form.goal_actual == "一、发挥协作网络作用，签订战略合作协议。"


def test_a_header_repeated_after_a_page_break_is_skipped_and_gives_the_new_grid():
    text = dump(rows=(
        "产出指标\t数量指标\t项目路演/专题对接会\t=2(场)\t2.00(场)\t8.00\t8.00\t\n"
        "\n"
        "一级 指标\t二级 指标\t三级指标\t\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
        "\t质量指标\t展厅交互式展示内容\t\t=1.00(套)\t1.00(套)\t4.00\t3.00\t设备到货\n"
        "\t\t\t\t\t\t\t\t延迟\n"
    ))
    form = only_form(text)
    assert indicators(form) == [
        ("产出指标", "数量指标", "项目路演/专题对接会", "=2(场)", "2.00(场)", "8.00", "8.00", ""),
        ("产出指标", "质量指标", "展厅交互式展示内容", "=1.00(套)", "1.00(套)", "4.00", "3.00", "设备到货延迟"),
    ]
    assert any(f"第 {line_number(text, '一级 指标')} 行" in w and "表头" in w for w in form.warnings)


# --- Labels -----------------------------------------------------------------


def test_merged_level_cells_are_carried_down():
    form = only_form(dump(rows=(
        "产出指标\t数量指标\t甲\t=1(次)\t1.00(次)\t5.00\t5.00\t\n"
        "\t\t乙\t=1(次)\t1.00(次)\t5.00\t5.00\t\n"
        "\t质量指标\t丙\t=1(次)\t1.00(次)\t5.00\t5.00\t\n"
        "\t\t丁\t=1(次)\t1.00(次)\t5.00\t5.00\t\n"
        "效益指标\t社会效益指标\t戊\t=1(次)\t1.00(次)\t5.00\t5.00\t\n"
        "\t\t己\t=1(次)\t1.00(次)\t5.00\t5.00\t\n"
    )))
    assert [(i.level1, i.level2, i.name) for i in form.figures.indicators] == [
        ("产出指标", "数量指标", "甲"),
        ("产出指标", "数量指标", "乙"),
        ("产出指标", "质量指标", "丙"),
        ("产出指标", "质量指标", "丁"),
        ("效益指标", "社会效益指标", "戊"),
        ("效益指标", "社会效益指标", "己"),
    ]


def test_labels_broken_by_spaces_lose_them():
    form = only_form(dump(
        header="一级 指标\t二级 指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分 析及改进措施\n",
        rows=(
            "产出 指标\t时效 指标\t完工及时率\t=100(%)\t100.00(%)\t10.00\t10.00\t\n"
            "效益 指标\t社会 效益 指标\t报警系统运行情况\t运行可靠\t达成指标\t10.00\t10.00\t\n"
            "满意 度指 标\t服务 对象 满意 度指 标\t综合满意度\t≥90(%)\t91.00(%)\t10.00\t10.00\t\n"
        ),
    ))
    assert [(i.level1, i.level2) for i in form.figures.indicators] == [
        ("产出指标", "时效指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"),
    ]
    assert form.has_deviation_column is True


# --- Punctuation, markup, text ------------------------------------------------


@pytest.mark.parametrize(("target", "actual", "normal_target", "normal_actual"), [
    ("＞＝90（%）", "95.00（%）", "≥90(%)", "95.00(%)"),
    (">=3(次)", "3.00(次)", "≥3(次)", "3.00(次)"),
    ("<=0.30(万元/项)", "0.25(万元/项)", "≤0.30(万元/项)", "0.25(万元/项)"),
    ("≧5(家)", "5.00(家)", "≥5(家)", "5.00(家)"),
    ("≦10(天)", "8.00(天)", "≤10(天)", "8.00(天)"),
    ("＝2（场）", "2.00（场）", "=2(场)", "2.00(场)"),
    ("＞90(%)", "91.00(%)", ">90(%)", "91.00(%)"),
    ("＜5(%)", "1.00(%)", "<5(%)", "1.00(%)"),
    ("≥90(null)", "90.00(null)", "≥90(null)", "90.00(null)"),
])
def test_targets_and_actuals_use_one_notation(target, actual, normal_target, normal_actual):
    form = only_form(dump(rows=f"产出指标\t数量指标\t活动\t{target}\t{actual}\t5.00\t5.00\t\n"))
    indicator = form.figures.indicators[0]
    assert (indicator.target, indicator.actual) == (normal_target, normal_actual)


@pytest.mark.parametrize(("total_label", "current_label", "year_line"), [
    ("年度资金总额:", "其中: 当年财政拨款", " (2023 年度)"),
    ("年度资金总额：", "其中：当年财政拨款", " （2023 年度）"),
    ("年度资金总额", "其中:当年财政拨款", "(2023年度)"),
])
def test_labels_and_year_with_colons_and_brackets_of_either_width(total_label, current_label, year_line):
    form = only_form(dump(
        title=f"财政项目支出绩效自评表\n{year_line}\n\n",
        funding=FUNDING.replace("年度资金总额:", total_label).replace("其中: 当年财政拨款", current_label),
    ))
    assert form.year == 2023
    assert funding(form)["current_year"] == ("135.00", "135.00", "129.67", None, "96.05", None)


def test_html_in_the_goal_texts_is_removed_and_paragraphs_become_lines():
    form = only_form(dump(goal=(
        "年度\t预期目标\t\t\t实际完成情况\t\t\t\t\n"
        "总体目标\t<p>建设平台&nbsp;；</p><p>举办论坛 &amp; 展示</p>\t\t\t1.完成开发。\t\t\t\t\n"
        "\n"
        "\t\t\t\t<p>5.推动国际化。</p> <p class=\"x\">6.培育品牌&nbsp;活动</p><br/>7.组织研究\t\t\t\n"
    )))
    assert form.goal_expected == "建设平台；\n举办论坛 & 展示"
    assert form.goal_actual == "1.完成开发。\n5.推动国际化。\n6.培育品牌活动\n7.组织研究"


def test_html_in_a_cell_is_removed():
    form = only_form(dump(rows="产出指标\t数量指标\t常态化<br>运维\t&lt;=5(天)\t3.00(天)\t5.00\t5.00\t\n"))
    indicator = form.figures.indicators[0]
    assert (indicator.name, indicator.target) == ("常态化运维", "≤5(天)")


@pytest.mark.parametrize(("printed", "joined"), [
    (">90.00(百分 比)", ">90.00(百分比)"),
    ("达到符合消防 法规定和消 防验收标准", "达到符合消防法规定和消防验收标准"),
    ("报警联动控制器 1 台、 风机 1 台", "报警联动控制器 1 台、风机 1 台"),
    ("2023 年度科技服务示范案例片- 拍摄案例片", "2023 年度科技服务示范案例片- 拍摄案例片"),
    ("“一带一路” 沿线国家交流活动 科技合平台", "“一带一路”沿线国家交流活动科技合平台"),
    ("Smart   City  平台", "Smart City 平台"),
    ("促成项目落 地 1-3 项， 搭建合作平 台", "促成项目落地 1-3 项，搭建合作平台"),
])
def test_fragments_of_a_cell_are_joined(printed, joined):
    form = only_form(dump(rows=f"产出指标\t数量指标\t活动\t{printed}\t达成指标\t5.00\t5.00\t\n"))
    assert form.figures.indicators[0].target == joined


# --- The deviation column -----------------------------------------------------


def test_weight_and_score_columns_apart_are_read_by_the_header():
    form = only_form(dump(
        header="一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t\t得分\t偏差原因分析及改进措施\n",
        rows="产出指标\t数量指标\t活动\t=2(场)\t2.00(场)\t8.00\t\t7.00\t场地原因\n",
    ))
    assert indicators(form) == [("产出指标", "数量指标", "活动", "=2(场)", "2.00(场)", "8.00", "7.00", "场地原因")]


def test_weight_and_score_side_by_side_under_a_header_that_has_them_apart():
    form = only_form(dump(
        header="一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t\t得分\t偏差原因分析及改进措施\n",
        rows="产出指标\t数量指标\t活动\t=2(场)\t2.00(场)\t8.00\t7.00\t场地原因\n",
    ))
    assert indicators(form) == [("产出指标", "数量指标", "活动", "=2(场)", "2.00(场)", "8.00", "7.00", "场地原因")]
    assert form.warnings == []


def test_a_broken_repeated_header_is_skipped_and_the_grid_kept():
    form = only_form(dump(rows=ROWS.replace("\t\t示范区", "\n一级 指标\t二级\n\t\t示范区")))
    assert indicators(form) == indicators(only_form(dump()))
    assert any("表头" in warning for warning in form.warnings)


def test_a_form_without_the_deviation_column():
    # Form 6: no 偏差原因分析及改进措施 column; after the break the numbers move one column left.
    form = only_form(dump(
        header="一级 指标\t二级 指标\t三级指标\t\t年度指标值\t实际完成值\t分值\t得分\n",
        rows=(
            "产出 指标\t时效 指标\t时效性\t\t各项工作按季度时间节点完成\t达成指标\t10.00\t9.00\n"
            "效益 指标\t社会 效益 指标\t覆盖率\t\t覆盖率进一步提高\t达成指标\t10.00\t10.00\n"
            "\n"
            "满意度指标\t服务对象满意度指标\t参培人员满意度\t=90(null)\t90.00(null)\t10.00\t10.00\t\n"
        ),
    ))
    assert form.has_deviation_column is False
    assert indicators(form) == [
        ("产出指标", "时效指标", "时效性", "各项工作按季度时间节点完成", "达成指标", "10.00", "9.00", ""),
        ("效益指标", "社会效益指标", "覆盖率", "覆盖率进一步提高", "达成指标", "10.00", "10.00", ""),
        ("满意度指标", "服务对象满意度指标", "参培人员满意度", "=90(null)", "90.00(null)", "10.00", "10.00", ""),
    ]


# --- Encodings and line ends --------------------------------------------------


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: text.encode("utf-8-sig"),
    lambda text: text.encode("gb18030"),
    lambda text: text.encode("utf-16"),
    lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    lambda text: text.encode("utf-16-le"),
    lambda text: text.encode("utf-16-be"),
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    lambda text: text.replace("\n", "\r\n").encode("gb18030"),
    lambda text: text.replace("\n", "\r").encode("utf-16"),
], ids=["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be-bom", "utf-16-le-no-bom", "utf-16-be-no-bom",
        "utf-8-crlf", "gb18030-crlf", "utf-16-cr"])
def test_encodings_and_line_ends(encode):
    text = dump()
    assert decode(encode(text)) == text
    forms, errors = parse_bytes(encode(text), "dump.txt")
    assert errors == []
    assert indicators(forms[0]) == indicators(only_form(text))
    assert forms[0].lines == only_form(text).lines


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_a_file_cut_inside_a_character_keeps_its_complete_forms(encoding):
    text = dump() + "\n" + dump()
    data = text.encode(encoding)
    cut = data[: len(text[: text.index("示范区对接调研", len(dump()))].encode(encoding)) + 1]
    forms, errors = parse_bytes(cut, "dump.txt")
    assert indicators(forms[0]) == indicators(only_form(dump()))
    [error] = errors
    assert "表格不完整" in error.message


def test_a_stray_byte_in_utf8_text_garbles_one_character_not_the_file():
    data = dump().encode("utf-8").replace("示范区".encode("utf-8"), b"\xff" + "示范区".encode("utf-8"))
    form = parse_bytes(data)[0][0]
    assert form.figures.indicators[1].name == "\ufffd示范区对接调研"
    assert form.project_name == "绿色技术银行综合管理与运行"


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
    b"\x80\x81\xff\xfe\xfd" * 10,
    b"\xff\xfe\x00\xd8",  # UTF-16 BOM, then half a surrogate pair
    b"ok\x01\x02\x03\x04\x05\x06\x07\x08 text",
])
def test_bytes_that_are_not_text_raise_a_parse_error(data):
    with pytest.raises(ParseError) as raised:
        decode(data)
    assert isinstance(raised.value, ValueError)
    assert any("\u4e00" <= char <= "\u9fff" for char in str(raised.value))
    with pytest.raises(ParseError):
        parse_bytes(data)


# --- Forms that cannot be read ----------------------------------------------------


BROKEN = {
    "weight_not_a_number": (
        dict(rows=ROWS.replace("示范区对接调研\t=1.00(次)\t1.00(次)\t8.00", "示范区对接调研\t=1.00(次)\t1.00(次)\t八分")),
        "分值“八分”不是数字",
    ),
    "score_not_a_number": (dict(rows=ROWS.replace("8.00\t8.00\t\n\t\t示范区", "8.00\t满分\t\n\t\t示范区")), "得分“满分”不是数字"),
    # REPORT-JSON v2: a form without 评分等级 or with fewer funding rows is read (test_reader_*).
    "no_total_and_grade": (dict(end=""), "缺少其后的指标和总分"),
    "funding_total_missing": (dict(funding="".join(line + "\n" for line in FUNDING.splitlines() if "年度资金总额" not in line)), "年度资金总额"),
    "no_indicator_header": (dict(header=""), "缺少绩效指标表头"),
    "amount_not_a_number": (dict(funding=FUNDING.replace("129.67\t10.00", "一百\t10.00")), "全年执行数“一百”不是数字"),
    "grade_unknown": (dict(end="总分\t\t\t\t\t100.00\t99.60\t\n评分等级\t\t甲等\t\t\t\t\t\n"), "评分等级“甲等”"),
    "no_year": (dict(title="财政项目支出绩效自评表\n\n"), "缺少年度"),
    "no_project_name": (dict(head=HEAD.split("\n", 1)[1]), "缺少项目名称"),
    "no_indicators": (dict(rows=""), "没有任何指标"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_form_between_two_good_ones_is_one_error(case):
    changes, reason = BROKEN[case]
    good, broken = dump(), dump(**changes)
    text = good + "\n" + broken + "\n" + good
    forms, errors = parse_text(text, "dump.txt")
    assert [form.lines for form in forms] == [(1, good.count("\n")), (line_number(text, "自评表", 3), text.count("\n"))]
    [error] = errors
    first = line_number(text, "自评表", 2)
    assert error == FormError("dump.txt", (first, first + broken.rstrip("\n").count("\n")), error.project_name, error.message)
    assert reason in error.message
    assert error.project_name == ("" if case == "no_project_name" else "绿色技术银行综合管理与运行")


def test_a_truncated_file_loses_only_its_last_form():
    good = dump()
    cut = good[: good.index("\t\t示范区对接调研")]
    forms, errors = parse_text(good + "\n" + cut, "dump.txt")
    assert len(forms) == 1
    [error] = errors
    assert error.lines == (line_number(good + "\n" + cut, "自评表", 2), (good + "\n" + cut).count("\n"))
    assert "表格不完整" in error.message


def test_form_content_without_a_title_is_an_error():
    text = dump().split("\n", 3)[3] + "\n" + dump()
    forms, errors = parse_text(text)
    assert len(forms) == 1
    [error] = errors
    assert error.lines[0] == 1 and "缺少标题" in error.message


def test_a_bug_while_reading_one_form_does_not_stop_the_others(monkeypatch):
    original = parsing._FormReader._read_grade

    def fail_on_the_first(self, cells, index):
        if index < 20:  # the first form's 评分等级 row
            raise RuntimeError("boom")
        return original(self, cells, index)

    monkeypatch.setattr(parsing._FormReader, "_read_grade", fail_on_the_first)
    forms, errors = parse_text(dump() + "\n" + dump())
    assert len(forms) == 1
    [error] = errors
    assert error.message.startswith(parsing.INTERNAL_ERROR) and "RuntimeError" in error.message


@pytest.mark.parametrize("text", ["", "\n\n", "财政项目支出绩效自评表", "\t\t\t", "总分\t\t1\n评分等级\t优"])
def test_nothing_to_read_is_no_crash(text):
    forms, errors = parse_text(text)
    assert forms == []
