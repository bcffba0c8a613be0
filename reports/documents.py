"""The two .docx reports, written from the forms with python-docx.

An office replaces the look (fonts, margins, header and footer, a cover) by naming its own .docx in
settings.ZPB_REPORT_TEMPLATES; the report is appended to that document's body, using its styles by
name (Title, Heading 1, Heading 2, Table Grid) where it has them.
"""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from evaluations import charts, flag_help, scoring
from evaluations.models import Evaluation, FundingLine, scoring_rules
from evaluations.views.dashboard import LOWEST_RATE_UNITS, figures_for
from reports import chart_image, docx_style
from reports.models import ReportText

NUMBERS = "一二三四五六七八九十"
FUNDING_HEADER = ("资金类别", "年初预算数", "全年预算数", "全年执行数", "执行率(%)")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
DEDUCTION_HEADER = ("项目名称", "扣分项", "扣分", "原因")
PROJECT_HEADER = ("实施单位", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "执行率(%)", "自评得分", "等级")


def new_document(kind: str):
    template = settings.ZPB_REPORT_TEMPLATES.get(kind)
    return Document(template) if template else docx_style.default_document()


def to_bytes(document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    """Headings numbered 一、二、… and the few block kinds a report uses, on any template's styles."""

    def __init__(self, document):
        self.document = document
        self.sections = 0
        styles = {style.name: style for style in document.styles}
        self.style = lambda name: styles.get(name) if name else None  # a style the template lacks: its default
        self.table_text = docx_style.table_text_style(document)

    def paragraph(self, text, style_name=None):
        paragraph = self.document.add_paragraph(text)
        style = self.style(style_name)
        if style is not None:
            # By id: python-docx's style setter scans every style of the document on each call.
            paragraph._p.style = style.style_id
        return paragraph

    def title(self, text, subtitle=""):
        self.paragraph(text, "Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        if subtitle:
            self.paragraph(subtitle, "Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(self, text):
        self.paragraph(f"{NUMBERS[self.sections]}、{text}", "Heading 1")
        self.sections += 1

    def subheading(self, text):
        self.paragraph(text, "Heading 2")

    def text(self, text):
        """Paragraphs as typed, each line its own paragraph indented two characters."""
        for line in (text or "").splitlines() or [""]:
            if line.strip():
                paragraph = self.document.add_paragraph(line.strip())
                paragraph.paragraph_format.first_line_indent = Cm(0.99)

    def table(self, header, rows, numeric_from=None, widths_cm=None):
        """`widths_cm`: the columns' widths (summing to the A4 text width, 15.6 cm), where equal columns would
        squeeze long names."""
        table = self.document.add_table(rows=1, cols=len(header), style=self.style("Table Grid"))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_on_every_page(table.rows[0])
        if widths_cm:
            table.autofit = False
            for column, width in zip(table.columns, widths_cm):
                column.width = Cm(width)  # the grid LibreOffice reads; each cell's width below is what Word reads
        widths = [Cm(width) for width in widths_cm] if widths_cm else None
        self._fill(table.rows[0].cells, header, None, widths)
        for cell in table.rows[0].cells:
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            self._fill(table.add_row().cells, [_shown(value) for value in row],
                       [numeric_from is not None and column >= numeric_from and isinstance(value, (Decimal, int))
                        for column, value in enumerate(row)], widths)
        self.document.add_paragraph()
        return table

    def _fill(self, cells, texts, right_aligned, widths):
        for column, (cell, text) in enumerate(zip(cells, texts)):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = self.table_text.style_id  # 宋体 五号 whatever the body style
            paragraph.add_run(text)
            if right_aligned and right_aligned[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if widths:
                cell.width = widths[column]

    def picture(self, png: bytes, width_cm=15.0):
        self.document.add_picture(BytesIO(png), width=Cm(width_cm))
        paragraph = self.document.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = 1.0  # the body's exact line height would crop the picture


def _repeat_on_every_page(row):
    """The header row repeats at the top of each page the table runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@dataclass(frozen=True)
class Deduction:
    project: str
    item: str
    points: Decimal
    reason: str


def deductions_of(evaluation: Evaluation) -> list[Deduction]:
    """Each place the form lost points: the budget execution score and every indicator scored below its weight."""
    found = []
    total_line = next((line for line in evaluation.ordered_funding_lines() if line.kind == FundingLine.Kind.TOTAL), None)
    if total_line and total_line.weight:
        rate = total_line.computed_rate()
        score = total_line.declared_score if total_line.declared_score is not None else scoring.budget_score(
            rate, total_line.weight, scoring_rules())
        if score < total_line.weight:
            found.append(Deduction(evaluation.project.name, "预算执行率", total_line.weight - score, f"预算执行率 {rate}%"))
    for indicator in evaluation.indicators.all():
        if indicator.score < indicator.weight:
            found.append(Deduction(evaluation.project.name, indicator.name, indicator.weight - indicator.score,
                                   indicator.deviation.strip() or "未填写偏差原因"))
    return found


# --- 项目支出绩效自评报告 ---------------------------------------------------------------------


def evaluation_report(evaluation: Evaluation, texts: ReportText | None = None) -> bytes:
    texts = texts or ReportText.of(evaluation)
    funding = evaluation.ordered_funding_lines()
    total_line = next((line for line in funding if line.kind == FundingLine.Kind.TOTAL), None)
    writer = _Writer(new_document("evaluation"))
    writer.title(f"{evaluation.project.name}项目支出绩效自评报告", f"（{evaluation.year}年度）")
    writer.text(f"主管部门：{evaluation.department.name}\n实施单位：{evaluation.unit.name}")

    writer.heading("项目基本情况和绩效目标")
    writer.text(evaluation.goal_expected or "（自评表未填写预期目标）")
    writer.heading("绩效目标完成情况")
    writer.text(evaluation.goal_actual or "（自评表未填写实际完成情况）")

    writer.heading("预算执行情况")
    if total_line:
        writer.text(
            f"项目年度资金总额全年预算数 {total_line.budget_full_year} 万元，全年执行数 {total_line.executed} 万元，"
            f"执行率 {total_line.computed_rate()}%，预算执行得分 {_shown(total_line.declared_score)} 分"
            f"（分值 {_shown(total_line.weight)} 分）。"
        )
    writer.table(FUNDING_HEADER, [(line.get_kind_display(), line.budget_initial, line.budget_full_year, line.executed,
                                   line.computed_rate()) for line in funding], numeric_from=1)

    writer.heading("绩效指标完成情况")
    writer.text(f"本项目自评总分 {_shown(evaluation.computed_total)} 分，评分等级为“{evaluation.computed_grade or '—'}”。")
    writer.table(INDICATOR_HEADER, [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score)
                                    for i in evaluation.indicators.all()], numeric_from=5,
                 widths_cm=(1.6, 1.8, 3.4, 3.0, 3.0, 1.4, 1.4))

    writer.heading("扣分情况及原因")
    deductions = deductions_of(evaluation)
    if deductions:
        writer.table(DEDUCTION_HEADER[1:], [(d.item, d.points, d.reason) for d in deductions], numeric_from=1,
                     widths_cm=(4.3, 1.6, 9.7))
    else:
        writer.text("本项目无扣分。")

    writer.heading("存在的问题")
    writer.text(texts.problems)
    writer.heading("改进措施")
    writer.text(texts.improvements)
    return to_bytes(writer.document)


# --- 部门绩效自评汇总报告 -----------------------------------------------------------------------


def summary_evaluations(department, year):
    """The department's approved forms of the year: what is published, with every row a report reads."""
    return (
        Evaluation.objects.filter(department=department, year=year, status=Evaluation.Status.APPROVED)
        .select_related("project", "unit", "department", "report_text")
        .prefetch_related("funding_lines", "indicators")
        .order_by("unit__name", "project__name")
    )


def acknowledged_flags(evaluation: Evaluation) -> list[scoring.Flag]:
    """An approved form's warnings: approval requires the reviewer to confirm each of them (workflow.approve)."""
    return [flag for flag in evaluation.flags() if flag.severity == scoring.WARNING]


def summary_report(department, year) -> bytes:
    evaluations = list(summary_evaluations(department, year))
    approved = Evaluation.objects.filter(pk__in=[e.pk for e in evaluations])
    figures = figures_for(approved, year)
    pending = Evaluation.objects.filter(department=department, year=year).exclude(status=Evaluation.Status.APPROVED).count()
    budget = sum((e.total_budget or Decimal(0) for e in evaluations), Decimal("0.00"))
    executed = sum((e.total_executed or Decimal(0) for e in evaluations), Decimal("0.00"))

    writer = _Writer(new_document("summary"))
    writer.title(f"{department.name}{year}年度项目支出绩效自评汇总报告")

    writer.heading("总体情况")
    if evaluations:
        average = (sum(e.computed_total or 0 for e in evaluations) / len(evaluations)).quantize(scoring.CENT)
        writer.text(
            f"{year}年度本部门共有 {len(evaluations)} 个项目的绩效自评表经审核通过，全年预算数合计 {budget} 万元，"
            f"全年执行数合计 {executed} 万元，总体预算执行率 {scoring.execution_rate(executed, budget)}%，"
            f"平均自评得分 {average} 分。"
        )
    else:
        writer.text(f"{year}年度本部门尚无审核通过的绩效自评表。")
    if pending:
        writer.text(f"另有 {pending} 份自评表尚未审核通过，未计入本报告。")

    writer.heading("评分等级分布")
    writer.table(("评分等级", "项目个数", "占比(%)"),
                 [(grade, n, _share(n, len(evaluations))) for grade, n in figures.by_grade], numeric_from=1)
    writer.picture(chart_image.svg_to_png(charts.bar_chart(figures.by_grade, "按评分等级的项目个数")), width_cm=12)

    writer.heading("预算执行情况")
    writer.subheading("（一）各单位执行率")
    writer.table(("实施单位", "项目个数", "全年预算数（万元）", "全年执行数（万元）", "执行率(%)"),
                 [(r.unit, r.evaluations, r.budget, r.executed, r.rate) for r in figures.by_unit], numeric_from=1,
                 widths_cm=(5.4, 1.8, 3.2, 3.2, 2.0))
    lowest = sorted(figures.by_unit, key=lambda r: r.rate)[:LOWEST_RATE_UNITS]
    title = f"执行率最低的 {LOWEST_RATE_UNITS} 个单位" if len(figures.by_unit) > LOWEST_RATE_UNITS else "各单位预算执行率"
    writer.picture(chart_image.svg_to_png(charts.bar_chart([(r.unit, r.rate) for r in lowest], title, suffix="%",
                                                           scale_to=100)))
    if len(figures.by_unit) > LOWEST_RATE_UNITS:
        writer.text(f"图中为执行率最低的 {LOWEST_RATE_UNITS} 个单位，各单位的数字见上表。")
    writer.subheading("（二）各项目自评结果")
    writer.table(PROJECT_HEADER, [(e.unit.name, e.project.name, e.total_budget, e.total_executed,
                                   scoring.execution_rate(e.total_executed, e.total_budget) if e.total_budget is not None else None,
                                   e.computed_total, e.computed_grade) for e in evaluations], numeric_from=2,
                 widths_cm=(3.0, 4.0, 2.0, 2.0, 1.8, 1.6, 1.2))

    writer.heading("扣分项目及原因")
    deductions = [d for e in evaluations for d in deductions_of(e)]
    if deductions:
        writer.table(DEDUCTION_HEADER, [(d.project, d.item, d.points, d.reason) for d in deductions], numeric_from=2,
                     widths_cm=(3.6, 3.6, 1.4, 7.0))
    else:
        writer.text("各项目均无扣分。")

    writer.heading("审核确认的标记")
    rows = [(e.project.name, flag_help.help_for(f.code).title, f.message)
            for e in evaluations for f in acknowledged_flags(e)]
    if rows:
        writer.text("以下警告由审核人逐项确认后审核通过：")
        writer.table(("项目名称", "标记", "说明"), rows, widths_cm=(3.6, 2.4, 9.6))
    else:
        writer.text("各项目均无需审核确认的警告。")

    writer.heading("存在的问题和改进措施")
    for evaluation in evaluations:
        texts = ReportText.of(evaluation)
        writer.subheading(evaluation.project.name)
        writer.text(f"存在的问题：\n{texts.problems}\n改进措施：\n{texts.improvements}")
    return to_bytes(writer.document)


def _share(count: int, whole: int) -> Decimal:
    return (Decimal(count) * 100 / whole).quantize(scoring.CENT) if whole else Decimal("0.00")
