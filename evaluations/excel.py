"""The submission workbook: each evaluation as the printed Shanghai form (shared spec FORM-LAYOUT.md).

Workbooks are written in openpyxl's write-only mode, so a batch of any size streams to disk one
row at a time and each finished sheet is closed before the next one starts. Everything the layout
needs can be set in that mode: column widths, row heights and the fit-to-page flag before the rows
they concern, merges, page setup and print titles at any time before the sheet is closed.

No Django here: callers hand in evaluations (rows prefetched) and the scoring rules, and
importer/xlsx.py reads these sheets back with the labels defined below.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from evaluations import scoring

TITLE = "财政项目支出绩效自评表"
SUMMARY_TITLE = "汇总"
FUNDING_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
SUMMARY_HEADER = ("实施单位", "项目名称", "年度", "全年预算数（万元）", "全年执行数（万元）", "执行率(%)", "总分", "评分等级",
                  "状态", "错误数", "警告数")
INDICATOR_HEADER_ROW = 12
NUMBER_FORMAT = "0.00"
WEIGHT_TOTAL = Decimal("100.00")
NO_VALUE = "-"

# 财预〔2021〕101号 puts 成本指标 between 产出 and 效益; the other 一级 are those of the Shanghai form.
LEVEL1_ORDER = (scoring.OUTPUT, scoring.COST, scoring.BENEFIT, scoring.SATISFACTION)

# Text a spreadsheet would read as a formula when it begins with one of these (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FORM_WIDTHS = (9, 12, 26, 16, 16, 8, 8, 20)
SUMMARY_WIDTHS = (24, 36, 7, 16, 16, 10, 8, 9, 8, 7, 7)
MAX_ROW_HEIGHT = 409  # points; Excel refuses taller rows
LINE_HEIGHT = 13.5  # points per line of 10 pt 宋体
MIN_ROW_HEIGHT = 20

_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10, charset=134)  # 134: GB2312, so Excel picks the Chinese face
_BOLD = Font(name="宋体", size=10, bold=True, charset=134)
_TITLE_FONT = Font(name="宋体", size=11, bold=True, charset=134)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

# Named cell styles, added to each workbook: one lookup per cell instead of four, and Excel offers
# them (开始 → 单元格样式) for rows added by hand.
LABEL, TEXT, LONG_TEXT, NUMBER, COUNT = "自评表标签", "自评表文字", "自评表长文字", "自评表数值", "自评表计数"
HEADING, SUBHEADING, HEADER, PLAIN, PLAIN_NUMBER = "自评表标题", "自评表副标题", "自评表表头", "自评表普通", "自评表普通数值"
STYLES = {
    LABEL: {"font": _FONT, "alignment": _CENTER, "border": _GRID},
    TEXT: {"font": _FONT, "alignment": _LEFT, "border": _GRID},
    LONG_TEXT: {"font": _FONT, "alignment": _TOP_LEFT, "border": _GRID},
    NUMBER: {"font": _FONT, "alignment": _CENTER, "border": _GRID, "number_format": NUMBER_FORMAT},
    COUNT: {"font": _FONT, "alignment": _CENTER, "border": _GRID},
    HEADING: {"font": _TITLE_FONT, "alignment": _CENTER},
    SUBHEADING: {"font": _FONT, "alignment": _CENTER},
    HEADER: {"font": _BOLD, "alignment": _CENTER, "border": _GRID},
    PLAIN: {"font": _FONT, "alignment": Alignment(vertical="top")},
    PLAIN_NUMBER: {"font": _FONT, "alignment": Alignment(vertical="top"), "number_format": NUMBER_FORMAT},
}


def _new_workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    for name, style in STYLES.items():
        workbook.add_named_style(NamedStyle(name=name, **style))
    return workbook


# --- Workbooks ----------------------------------------------------------------------------------


def write_workbook(out, evaluations, rules: scoring.Rules, *, summary: bool = True) -> int:
    """Write one form sheet per evaluation (after a 汇总 sheet when `summary`) to `out`; return the count.

    `evaluations` may be a chunked iterator: each sheet is finished and closed before the next is read.
    """
    workbook = _new_workbook()
    taken = {SUMMARY_TITLE.casefold()}
    summary_sheet = _summary_sheet(workbook) if summary else None
    count = 0
    for count, evaluation in enumerate(evaluations, start=1):
        title = sheet_title(evaluation.project.name, taken)
        sheet = workbook.create_sheet(title)
        shown = _Shown.of(evaluation, rules)
        _write_form_sheet(sheet, evaluation, shown)
        sheet.close()  # one open temporary file at a time, whatever the batch size
        # The closed sheet is on disk; what remains in memory until the save is its settings.
        sheet.row_dimensions.clear()
        sheet.merged_cells.ranges.clear()
        if summary_sheet is not None:
            _append_summary_row(summary_sheet, evaluation, shown, title)
    if count == 0 and summary_sheet is None:
        raise ValueError("a workbook without a summary needs at least one evaluation")
    workbook.save(out)
    return count


def write_table(out, title: str, header, rows) -> None:
    """A plain table (header row, then `rows`) whose text is never taken for a formula, to `out`."""
    workbook = _new_workbook()
    sheet = workbook.create_sheet(sheet_title(title, set()))
    widths = [max(10, min(40, _display_width(str(label)) + 2)) for label in header]
    _set_up_page(sheet, widths, portrait=False)
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, label, HEADER) for label in header])
    for row in rows:
        sheet.append([_cell(sheet, value, PLAIN_NUMBER if isinstance(value, Decimal) else PLAIN) for value in row])
    workbook.save(out)


_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE_LENGTH = 31


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid sheet title from `name`, unique (case-insensitively) among `taken`, which it joins."""
    base = _clean_title(_FORBIDDEN_IN_TITLE.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name))) or "自评表"
    title, number = _clean_title(base[:MAX_TITLE_LENGTH]), 1
    # "History" is reserved by Excel.
    while title.casefold() in taken or title.casefold() == "history":
        number += 1
        suffix = f"({number})"
        title = _clean_title(base[: MAX_TITLE_LENGTH - len(suffix)]) + suffix
    taken.add(title.casefold())
    return title


def _clean_title(title: str) -> str:
    # Excel refuses titles that begin or end with an apostrophe.
    return title.strip().strip("'").strip()


# --- One form -----------------------------------------------------------------------------------


def ordered_indicators(indicators: list[scoring.IndicatorFigures]) -> list[scoring.IndicatorFigures]:
    """The form's order: 产出 (数量, 质量, 时效, 成本), 成本, 效益 (经济, 社会, 生态, 可持续影响), 满意度.

    The stored order is kept within a 二级; labels outside the catalogue follow, grouped in the order
    they first appear.
    """
    first_seen: dict = {}
    for indicator in indicators:
        first_seen.setdefault(indicator.level1, len(first_seen))
        first_seen.setdefault((indicator.level1, indicator.level2), len(first_seen))

    def place(indicator):
        level1, level2 = indicator.level1, indicator.level2
        rank1 = LEVEL1_ORDER.index(level1) if level1 in LEVEL1_ORDER else len(LEVEL1_ORDER) + first_seen[level1]
        known2 = scoring.LEVELS.get(level1, ())
        rank2 = known2.index(level2) if level2 in known2 else len(known2) + first_seen[level1, level2]
        return rank1, rank2

    return sorted(indicators, key=place)


@dataclass(frozen=True)
class _Shown:
    """The figures a sheet shows: those declared, or computed where none were declared."""

    figures: scoring.FormFigures
    rates: dict[str, Decimal]
    funding_weight: Decimal
    funding_score: Decimal
    total: Decimal
    grade: str

    @classmethod
    def of(cls, evaluation, rules: scoring.Rules) -> _Shown:
        figures = evaluation.figures()
        computed = scoring.compute(figures, rules)
        total_line = figures.funding_line("total")
        return cls(
            figures=figures,
            rates={line.kind: _rate(line, rules) for line in figures.funding},
            funding_weight=scoring.funding_weight(figures, rules),
            funding_score=total_line.score if total_line and total_line.score is not None else computed.funding_score,
            total=figures.declared_total if figures.declared_total is not None else computed.total,
            grade=figures.declared_grade or computed.grade,
        )


def _rate(line: scoring.FundingFigures, rules: scoring.Rules) -> Decimal:
    if line.rate is not None:
        return line.rate
    return scoring.execution_rate(line.executed, line.budget_full_year, rules)


def _write_form_sheet(sheet, evaluation, shown: _Shown) -> None:
    """The 14 + n rows of FORM-LAYOUT.md."""
    indicators = ordered_indicators(shown.figures.indicators)
    project = evaluation.project
    _set_up_page(sheet, FORM_WIDTHS, portrait=True)
    sheet.print_title_rows = f"{INDICATOR_HEADER_ROW}:{INDICATOR_HEADER_ROW}"
    rows = _RowWriter(sheet, FORM_WIDTHS)

    rows.add([(TITLE, HEADING)], merges=["A:H"], height=26, border=False)
    rows.add([(f"（{evaluation.year}年度）", SUBHEADING)], merges=["A:H"], height=20, border=False)
    rows.add([("项目名称", LABEL), None, (project.name, TEXT)], merges=["A:B", "C:H"])
    rows.add(
        [("主管部门", LABEL), None, (project.unit.department.name, TEXT), None, ("实施单位", LABEL), (project.unit.name, TEXT)],
        merges=["A:B", "C:D", "F:H"],
    )
    rows.add([("项目资金（万元）", LABEL), None, *((label, LABEL) for label in FUNDING_HEADER)])
    funding_start = rows.row
    for kind in scoring.FUNDING_KINDS:
        rows.add([None, (scoring.FUNDING_KIND_LABELS[kind], LABEL), *_funding_cells(shown, kind)])
    sheet.merged_cells.add(f"A{funding_start}:A{rows.row}")

    rows.add([("年度总体目标", LABEL), ("预期目标", LABEL), None, None, ("实际完成情况", LABEL)], merges=["B:D", "E:H"])
    rows.add([None, (evaluation.goal_expected, LONG_TEXT), None, None, (evaluation.goal_actual, LONG_TEXT)],
             merges=["B:D", "E:H"])
    sheet.merged_cells.add(f"A{rows.row - 1}:A{rows.row}")

    rows.add([(label, LABEL) for label in INDICATOR_HEADER])
    _write_indicators(sheet, rows, indicators)

    rows.add([("总分", LABEL), None, None, None, None, (WEIGHT_TOTAL, NUMBER), (shown.total, NUMBER), None],
             merges=["A:E"])
    rows.add([("评分等级", LABEL), None, (shown.grade, LABEL)], merges=["A:B", "C:H"])


def _funding_cells(shown: _Shown, kind: str):
    line = shown.figures.funding_line(kind)
    if line is None:
        return [None] * 6
    weight, score = (shown.funding_weight, shown.funding_score) if kind == "total" else (NO_VALUE, NO_VALUE)
    values = (line.budget_initial, line.budget_full_year, line.executed, weight, shown.rates[kind], score)
    return [(value, NUMBER) for value in values]


def _write_indicators(sheet, rows, indicators):
    """Indicator rows with column A merged over each 一级 run and B over each 二级 run within it."""
    runs = {"A": _runs([i.level1 for i in indicators]), "B": _runs([(i.level1, i.level2) for i in indicators])}
    lengths = {column: dict(column_runs) for column, column_runs in runs.items()}
    first = rows.row + 1
    for index, indicator in enumerate(indicators):
        level1 = (indicator.level1, LABEL) if index in lengths["A"] else None
        level2 = (indicator.level2, LABEL) if index in lengths["B"] else None
        # A label merged over several rows has their height; one on a single row must fit it.
        spread = {column: lengths[column].get(index, 1) > 1 for column in "AB"}
        rows.add(
            [level1, level2, (indicator.name, TEXT), (indicator.target, TEXT), (indicator.actual, TEXT),
             (indicator.weight, NUMBER), (indicator.score, NUMBER), (indicator.deviation, TEXT)],
            unmeasured={i for i, column in enumerate("AB") if spread[column]},
        )
    for column, column_runs in runs.items():
        for start, length in column_runs:
            if length > 1:
                sheet.merged_cells.add(f"{column}{first + start}:{column}{first + start + length - 1}")


def _runs(values) -> list[tuple[int, int]]:
    """(start, length) of each run of equal neighbours."""
    runs, start = [], 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            runs.append((start, index - start))
            start = index
    return runs


# --- The summary sheet --------------------------------------------------------------------------


def _summary_sheet(workbook):
    sheet = workbook.create_sheet(SUMMARY_TITLE)
    _set_up_page(sheet, SUMMARY_WIDTHS, portrait=False)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _RowWriter(sheet, SUMMARY_WIDTHS).add([(label, LABEL) for label in SUMMARY_HEADER])
    return sheet


def _append_summary_row(sheet, evaluation, shown: _Shown, title: str):
    line = shown.figures.funding_line("total")
    values = [
        (evaluation.project.unit.name, TEXT), (evaluation.project.name, TEXT), (evaluation.year, COUNT),
        (line and line.budget_full_year, NUMBER), (line and line.executed, NUMBER), (shown.rates.get("total"), NUMBER),
        (shown.total, NUMBER), (shown.grade, LABEL), (evaluation.get_status_display(), LABEL),
        (evaluation.error_count, COUNT), (evaluation.warning_count, COUNT),
    ]
    cells = [_cell(sheet, value, style) for value, style in values]
    # The project name leads to its sheet.
    quoted = title.replace("'", "''")
    cells[1].hyperlink = Hyperlink(ref="", location=f"'{quoted}'!A1", display=evaluation.project.name)
    sheet.append(cells)


# --- Cells, rows and pages ----------------------------------------------------------------------


def _set_up_page(sheet, widths, *, portrait):
    """A4, one page wide; set before the first row, as write-only sheets write these first."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait" if portrait else "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def _cell(sheet, value, style: str):
    if isinstance(value, str):
        # Control characters other than tab and line ends cannot be stored in a workbook.
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = WriteOnlyCell(sheet, value)
    cell.style = style
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Kept as typed text, never evaluated: a string cell (openpyxl would make "=…" a formula),
        # and the quote prefix keeps it text when someone edits the cell in a spreadsheet.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


class _RowWriter:
    """Appends the rows of a grid: eight (or more) cells each, bordered, merges per row, estimated heights."""

    def __init__(self, sheet, widths):
        self.sheet, self.widths, self.row = sheet, widths, 0

    def add(self, cells, *, merges=(), height=None, border=True, unmeasured=()):
        """`cells`: (value, style) or None for an empty (or covered) cell; `merges`: column spans like "C:H"."""
        self.row += 1
        cells = list(cells) + [None] * (len(self.widths) - len(cells))
        spans = self._spans(merges)
        if height is None:
            height = self._height(cells, spans, unmeasured)
        self.sheet.row_dimensions[self.row].height = height
        empty = LABEL if border else None
        self.sheet.append([
            _cell(self.sheet, *cell) if cell is not None else (_cell(self.sheet, None, empty) if empty else None)
            for cell in cells
        ])
        for first, last in spans.items():
            if last > first:
                first_letter, last_letter = get_column_letter(first + 1), get_column_letter(last + 1)
                self.sheet.merged_cells.add(f"{first_letter}{self.row}:{last_letter}{self.row}")

    @staticmethod
    def _spans(merges) -> dict[int, int]:
        spans = {}
        for merge in merges:
            first, last = (ord(letter) - ord("A") for letter in merge.split(":"))
            spans[first] = last
        return spans

    def _height(self, cells, spans, unmeasured):
        lines = 1
        for index, cell in enumerate(cells):
            if cell is None or index in unmeasured:
                continue
            width = sum(self.widths[index:spans.get(index, index) + 1])
            lines = max(lines, _line_count(cell[0], width))
        return min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 6))


def _line_count(value, width: float) -> int:
    """Lines a wrapped value takes in a column `width` characters wide (a Chinese character counts two)."""
    if not isinstance(value, str):
        return 1
    capacity = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(_display_width(paragraph) / capacity)) for paragraph in value.split("\n"))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
