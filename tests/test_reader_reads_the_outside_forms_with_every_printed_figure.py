"""Real forms of other templates (tests/material/outside, see its README): every printed figure is
read as printed, a figure the form does not print is None, and the cut-off Beijing form is one error."""

from decimal import Decimal as D

import pytest

from importer.report import form_report
from tests.reader_helpers import MATERIAL, read

OUTSIDE = MATERIAL / "outside"


def only_form(name):
    forms, errors = read(OUTSIDE / name)
    assert errors == []
    [form] = forms
    return form


def funding(form):
    return [(line.kind, line.label, line.budget_initial, line.budget_full_year, line.executed, line.weight, line.rate, line.score)
            for line in form.figures.funding]


def indicators(form):
    return [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in form.figures.indicators]


def codes(form):
    return {flag["code"] for flag in form_report(form)["flags"]}


def test_anhui_county_2022():
    form = only_form("anhui-chizhou-2022.txt")
    assert (form.year, form.project_name, form.department, form.unit) == (
        2022, "委托业务项目", "池州市贵池区棠溪镇人民政府", "池州市贵池区棠溪镇人民政府")
    assert funding(form) == [
        ("total", "年度资金总额", D("0"), D("0"), D("0"), D("10"), D("0"), D("0")),
        ("current_year", "本年财政拨款", D("90"), D("89.974"), D("89.974"), None, None, None),
        ("carryover", "上年结转资金", None, None, None, None, None, None),
        ("other", "其他资金", None, None, None, None, None, None),
    ]
    assert form.goal_expected.startswith("委托业务经费90万元") and form.goal_actual.startswith("完成委托业务")
    read = indicators(form)
    assert len(read) == 10  # the empty 经济效益指标 row is no indicator
    assert read[0] == ("产出指标", "数量指标", "基建工程委托业务项目数量", "≥50个", "50", D("8"), D("8"))
    assert read[2] == ("产出指标", "质量指标", "经费支出合规性", "严格执行相关制度规定", "达成预期指标", D("8"), D("8"))
    assert read[4][3] == "≤90万元"
    assert read[6][:2] == ("效益指标", "社会效益指标")
    assert read[9] == ("满意度指标", "服务对象满意度指标", "公众满意度", "≥90%", "达成预期指标", D("10"), D("10"))
    assert sum(i[5] for i in read) == 90 and sum(i[6] for i in read) == 90
    assert (form.figures.declared_total, form.figures.declared_grade) == (D("90"), "")  # no 评分等级 row
    assert "E_FUNDING_SUM" in codes(form) and "E_LEVELS" not in codes(form)
    notes = " ".join(note["message"] for note in form.notes)
    assert "标题之前" in notes and "经济效益指标" in notes and "编码已去掉" in notes and "服务对象满意度指标" in notes


def test_sichuan_2023():
    form = only_form("sichuan-qingshen-2023.txt")
    assert (form.year, form.project_name, form.department, form.unit) == (2023, "工资性支出", "青神县发展和改革局本级", "青神县发展和改革局")
    assert funding(form) == [
        ("total", "总额", D("238.93"), D("251.89"), D("251.89"), D("10"), D("100.00"), None),
        ("current_year", "财政资金", D("238.93"), D("251.89"), D("251.89"), None, D("100.00"), None),
        (None, "财政专户管理资金", D("0.00"), D("0.00"), D("0.00"), None, D("0.00"), None),
        (None, "单位资金", D("0.00"), D("0.00"), D("0.00"), None, D("0.00"), None),
        ("other", "其他资金", None, None, None, None, None, None),
    ]
    assert indicators(form) == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%", "", D("60"), None),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%", "", D("30"), None),
    ]
    assert (form.figures.declared_total, form.figures.declared_grade) == (None, "")  # 合计 prints no score
    assert (form.goal_expected, form.goal_actual) == ("", "")  # placeholders only
    assert form.profile == "sichuan-2023"
    report = form_report(form)
    assert report["declared"] == {"total": None, "grade": None}
    assert "I_BUDGET_ADJUSTED" in codes(form)


def test_hubei_style_2020_with_a_20_point_budget_block():
    form = only_form("hubei-style-2020.txt")
    assert (form.year, form.project_name, form.department, form.unit) == (2020, "渔业成品油价格改革补贴", "区市场监督管理局", "农业科")
    assert funding(form) == [("total", "", None, D("1.56"), D("1.56"), D("20"), D("100"), D("20"))]
    assert indicators(form) == [
        ("产出指标", "数量指标", "补贴渔船数", "6", "6", D("20"), D("20")),
        ("产出指标", "质量指标", "渔船补贴发放率", "100%", "100%", D("20"), D("20")),
        ("产出指标", "时效指标", "完成时间", "12月底之前完成", "12月底之前完成", D("20"), D("20")),
        ("满意度指标", "服务对象满意度指标", "退捕渔民抽样调查满意度", "≥90%", "90%", D("20"), D("20")),
    ]
    assert form.figures.declared_total == D("100")
    assert form.profile == "hubei-20"
    report = form_report(form)
    assert report["computed"]["weight_total"] == "100.00" and "E_WEIGHTS" not in codes(form)
    # The notes under the table are kept on the form, not lost.
    assert sum("表格之后" in note["message"] for note in form.notes) == 5


def test_the_cut_off_beijing_form_is_one_clear_error():
    forms, errors = read(OUTSIDE / "beijing-haidian-2016-cut-off.txt")
    assert forms == []
    [error] = errors
    assert error.project_name == "【体制】自管道路清扫保洁外包工作经费"
    assert "不完整" in error.message and "总分" in error.message
    assert error.lines == (2, 12)
