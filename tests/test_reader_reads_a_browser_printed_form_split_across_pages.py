"""A held-out form (written by hand in another office's style, printed by Chromium) reads from its PDF with
every printed figure, also where a page break splits a table row, which a browser prints without a
ruling line at the cut; its pdftotext -layout text, with labels printed one character a line, is one
clear error that asks for the PDF rather than a form read wrong."""

from decimal import Decimal
from pathlib import Path

from importer import grid
from tests.reader_helpers import by_project, read

HELD_OUT = Path(__file__).resolve().parent / "material" / "held-out"
INDICATORS = [
    ("产出指标", "数量指标", "改造学校数量", "≥86所", "84所", "15", "14.65", "2 所学校校舍改扩建，顺延实施"),
    ("产出指标", "数量指标", "新增监控点位", "≥1200个", "1246个", "10", "10", ""),
    ("产出指标", "质量指标", "设施验收合格率", "100%", "100%", "10", "10", ""),
    ("产出指标", "时效指标", "年底前完成改造比例", "≥95%", "97.67%", "10", "10", ""),
    ("产出指标", "成本指标", "单校平均改造成本", "≤4.5万元", "4.42万元", "5", "5", ""),
    ("效益指标", "社会效益指标", "校园安全事件发生率", "较上年下降", "下降12%", "15", "15", ""),
    ("效益指标", "可持续影响指标", "设施运行维护机制", "建立", "已建立", "15", "14", "维保合同尚待续签"),
    ("满意度指标", "服务对象满意度指标", "师生家长满意度", "≥90%", "93.5%", "10", "10", ""),
]


def test_the_pdf_split_across_two_pages_reads_with_every_printed_figure():
    forms, errors = read(HELD_OUT / "jiangning-2024.pdf")
    assert errors == []
    [form] = forms
    assert (form.year, form.project_name, form.department, form.unit) == (
        2024, "江宁区中小学校园安全防范设施提升", "南京市江宁区教育局", "江宁区教育装备与勤工俭学管理中心")
    assert form.pages == (1, 2) and form.amount_unit == "元"
    assert [(line.label, line.budget_initial, line.budget_full_year, line.executed, line.rate) for line in form.figures.funding] == [
        ("资金总额", Decimal("360.00"), Decimal("385.00"), Decimal("371.24"), Decimal("96.43")),
        ("本年财政拨款", Decimal("360.00"), Decimal("360.00"), Decimal("348.09"), Decimal("96.69")),
        ("上年结转", Decimal("0.00"), Decimal("25.00"), Decimal("23.15"), Decimal("92.60")),
        ("其他资金", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), None),
    ]
    total = form.figures.funding[0]
    assert (total.weight, total.score) == (Decimal("10"), Decimal("9.64"))
    assert [(i.level1, i.level2, i.name, i.target, i.actual, str(i.weight), str(i.score), i.deviation)
            for i in form.figures.indicators] == INDICATORS
    assert (form.figures.declared_total, form.figures.declared_grade) == (Decimal("97.29"), "优")
    assert {"place": "第 2 页", "message": "没有分值和得分，已作为第 1 页指标的续行合并（分页断行）。"} in form.notes


def test_the_split_print_reads_as_the_same_form_printed_on_one_page():
    split, wide = read(HELD_OUT / "jiangning-2024.pdf")[0], read(HELD_OUT / "jiangning-2024-wide.pdf")[0]
    assert by_project(split) == by_project(wide)


def test_the_row_cut_by_the_page_break_is_a_row_of_the_table_on_both_pages():
    rows = [row[:7] for row in grid.pdf_grid((HELD_OUT / "jiangning-2024.pdf").read_bytes()).rows]
    assert ["效\n益", "社\n会", "校园安全\n事件发生", "较上年下降", "下降12%", "15", "15"] in rows
    assert ["指\n标\n(30\n分)", "效\n益\n指\n标", "率", "", "", "", ""] in rows


def test_its_pdftotext_layout_text_is_one_error_that_asks_for_the_pdf():
    # The funding rows are read (`资金总额 3,600,000.00`, a label and its amount one space apart, are two
    # cells); the header, its 一级/二级 labels printed one character a line, is not.
    forms, [error] = read(HELD_OUT / "jiangning-2024.pdftotext-layout.txt")
    assert forms == []
    assert error.message.startswith("缺少绩效指标表头") and error.message.endswith("请直接上传 PDF 文件。）")
