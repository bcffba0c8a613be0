"""The submission workbook: each evaluation as the printed Shanghai form (shared spec FORM-LAYOUT.md).

openpyxl makes the package of a write-only workbook: the workbook part, the named styles, the
relationships. The sheets' XML is written here as text (_SheetWriter), the same XML openpyxl's own
writer makes by building and serializing an element per cell, which took a batch of 1,000 forms
26 s. Each finished sheet goes to a spool file before the next one starts, so a batch of any size
holds one form in memory at a time, and the save packs the parts from there.

No Django here: callers hand in evaluations (rows prefetched) and the scoring rules, and
importer/xlsx.py reads these sheets back with the labels defined below.
"""

from __future__ import annotations

import functools
import io
import math
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import BinaryIO, NamedTuple
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

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


# --- Workbooks ----------------------------------------------------------------------------------


def write_workbook(out, evaluations, rules: scoring.Rules, *, summary: bool = True) -> int:
    """Write one form sheet per evaluation (after a 汇总 sheet when `summary`) to `out`; return the count.

    `evaluations` may be a chunked iterator: each sheet is finished and closed before the next is read.
    """
    book = _Book()
    taken = {SUMMARY_TITLE.casefold()}
    summary_sheet = _summary_sheet(book) if summary else None
    count = 0
    for count, evaluation in enumerate(evaluations, start=1):
        title = sheet_title(evaluation.project.name, taken)
        sheet = book.add_sheet(title, FORM_WIDTHS, portrait=True,
                               print_title_rows=f"{INDICATOR_HEADER_ROW}:{INDICATOR_HEADER_ROW}")
        shown = _Shown.of(evaluation, rules)
        _write_form_sheet(sheet, evaluation, shown)
        sheet.finish()  # to the spool: one form in memory at a time, whatever the batch size
        if summary_sheet is not None:
            _append_summary_row(summary_sheet, evaluation, shown, title)
    if count == 0 and summary_sheet is None:
        raise ValueError("a workbook without a summary needs at least one evaluation")
    book.save(out)
    return count


def write_table(out, title: str, header, rows) -> None:
    """A plain table (header row, then `rows` of text, numbers or None) whose text is never taken for a formula."""
    book = _Book()
    widths = [max(10, min(40, _display_width(str(label)) + 2)) for label in header]
    sheet = book.add_sheet(sheet_title(title, set()), widths, portrait=False, frozen_header=True)
    sheet.add_row([(label, HEADER) for label in header])
    for row in rows:
        sheet.add_row([(value, PLAIN_NUMBER if isinstance(value, Decimal) else PLAIN) for value in row])
    book.save(out)


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


UNFINISHED = "尚未填写完整"


@dataclass(frozen=True)
class _Shown:
    """The figures a sheet shows: those declared, or computed where none were declared."""

    figures: scoring.FormFigures
    rates: dict[str, Decimal]
    funding_weight: Decimal
    funding_score: Decimal
    total: Decimal | None
    grade: str

    @classmethod
    def of(cls, evaluation, rules: scoring.Rules) -> _Shown:
        figures = evaluation.figures()
        computed = scoring.compute(figures, rules)
        total_line = figures.funding_line("total")
        funding_score = total_line.score if total_line and total_line.score is not None else computed.funding_score
        total = figures.declared_total if figures.declared_total is not None else computed.total
        grade = figures.declared_grade or computed.grade
        if evaluation.missing():  # an unfinished form: its empty cells stay empty, no total or grade yet
            figures, total, grade = evaluation.stored_figures(), None, UNFINISHED
            stored_total_line = figures.funding_line("total")
            if stored_total_line is None or _rate(stored_total_line, rules) is None:
                funding_score = None
        return cls(
            figures=figures,
            rates={line.kind: _rate(line, rules) for line in figures.funding},
            funding_weight=scoring.funding_weight(figures, rules),
            funding_score=funding_score,
            total=total,
            grade=grade,
        )


def _rate(line: scoring.FundingFigures, rules: scoring.Rules) -> Decimal | None:
    if line.rate is not None:
        return line.rate
    if line.executed is None or line.budget_full_year is None:
        return None
    return scoring.execution_rate(line.executed, line.budget_full_year, rules)


def _write_form_sheet(sheet: _SheetWriter, evaluation, shown: _Shown) -> None:
    """The 14 + n rows of FORM-LAYOUT.md."""
    indicators = ordered_indicators(shown.figures.indicators)
    project = evaluation.project
    rows = _RowWriter(sheet, FORM_WIDTHS)

    rows.add([(TITLE, HEADING)], merges=["A:H"], height=26, border=False)
    rows.add([(f"（{evaluation.year}年度）", SUBHEADING)], merges=["A:H"], height=20, border=False)
    rows.add([("项目名称", LABEL), None, (project.name, TEXT)], merges=["A:B", "C:H"])
    rows.add(
        [("主管部门", LABEL), None, (project.unit.department.name, TEXT), None, ("实施单位", LABEL), (project.unit.name, TEXT)],
        merges=["A:B", "C:D", "F:H"],
    )
    rows.add([("项目资金（万元）", LABEL), None, *((label, LABEL) for label in FUNDING_HEADER)])
    funding_start = sheet.row
    for kind in scoring.FUNDING_KINDS:
        rows.add([None, (scoring.FUNDING_KIND_LABELS[kind], LABEL), *_funding_cells(shown, kind)])
    sheet.merge(funding_start, 1, sheet.row, 1)

    rows.add([("年度总体目标", LABEL), ("预期目标", LABEL), None, None, ("实际完成情况", LABEL)], merges=["B:D", "E:H"])
    rows.add([None, (evaluation.goal_expected, LONG_TEXT), None, None, (evaluation.goal_actual, LONG_TEXT)],
             merges=["B:D", "E:H"])
    sheet.merge(sheet.row - 1, 1, sheet.row, 1)

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


def _write_indicators(sheet: _SheetWriter, rows, indicators):
    """Indicator rows with column A merged over each 一级 run and B over each 二级 run within it."""
    runs = {"A": _runs([i.level1 for i in indicators]), "B": _runs([(i.level1, i.level2) for i in indicators])}
    lengths = {column: dict(column_runs) for column, column_runs in runs.items()}
    first = sheet.row + 1
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
    for number, (column, column_runs) in enumerate(runs.items(), start=1):
        for start, length in column_runs:
            if length > 1:
                sheet.merge(first + start, number, first + start + length - 1, number)


def _runs(values) -> list[tuple[int, int]]:
    """(start, length) of each run of equal neighbours."""
    runs, start = [], 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            runs.append((start, index - start))
            start = index
    return runs


# --- The summary sheet --------------------------------------------------------------------------


def _summary_sheet(book: _Book) -> _SheetWriter:
    sheet = book.add_sheet(SUMMARY_TITLE, SUMMARY_WIDTHS, portrait=False, frozen_header=True, print_title_rows="1:1")
    _RowWriter(sheet, SUMMARY_WIDTHS).add([(label, LABEL) for label in SUMMARY_HEADER])
    return sheet


def _append_summary_row(sheet: _SheetWriter, evaluation, shown: _Shown, title: str):
    line = shown.figures.funding_line("total")
    sheet.add_row([
        (evaluation.project.unit.name, TEXT), (evaluation.project.name, TEXT), (evaluation.year, COUNT),
        (line and line.budget_full_year, NUMBER), (line and line.executed, NUMBER), (shown.rates.get("total"), NUMBER),
        (shown.total, NUMBER), (shown.grade, LABEL), (evaluation.get_status_display(), LABEL),
        (evaluation.error_count, COUNT), (evaluation.warning_count, COUNT),
    ])
    # The project name leads to its sheet.
    quoted = title.replace("'", "''")
    sheet.link(2, f"'{quoted}'!A1", display=evaluation.project.name)


# --- Workbooks and sheets as XML ----------------------------------------------------------------


class _Book:
    """A write-only openpyxl workbook with the form's named styles, whose sheets _SheetWriter writes.

    openpyxl's writer keeps each sheet in a temporary file of its own until the save; here the finished
    parts go one after another into a single spool file: making and deleting a file per sheet cost
    seconds of waiting on the disk per 1,000 sheets.
    """

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        # Excel offers named styles (开始 → 单元格样式) for rows added by hand.
        for name, style in STYLES.items():
            self.workbook.add_named_style(NamedStyle(name=name, **style))
        self._style_ids = {}
        self.spool = tempfile.TemporaryFile()

    def add_sheet(self, title, widths, *, portrait, frozen_header=False, print_title_rows=None) -> _SheetWriter:
        sheet = self.workbook.create_sheet(title)
        if print_title_rows:
            sheet.print_title_rows = print_title_rows  # a name defined in the workbook part
        return _SheetWriter(self, sheet, widths, portrait=portrait, frozen_header=frozen_header)

    def style_id(self, sheet, style: str, quoted: bool) -> int:
        """The cell format of a named style, with the quote prefix or not: its index in the workbook's
        cellXfs, where openpyxl adds it at its first use."""
        key = (style, quoted)
        if key not in self._style_ids:
            cell = WriteOnlyCell(sheet)
            cell.style = style
            if quoted:
                cell.quotePrefix = True
            self._style_ids[key] = cell.style_id
        return self._style_ids[key]

    def store(self, xml: str) -> _Part:
        data = xml.encode("utf-8", errors="xmlcharrefreplace")
        offset = self.spool.seek(0, io.SEEK_END)
        self.spool.write(data)
        return _Part(self.spool, offset, len(data))

    def save(self, out):
        """openpyxl's save_workbook(), into a zip file that takes the sheets' parts from the spool."""
        self.workbook.properties.modified = datetime.now(timezone.utc).replace(tzinfo=None)
        with self.spool:
            ExcelWriter(self.workbook, _Package(out, "w", ZIP_DEFLATED, allowZip64=True)).save()


class _Part(NamedTuple):
    """A sheet's XML, in UTF-8, where it is in the spool."""

    spool: BinaryIO
    offset: int
    length: int

    def read(self) -> bytes:
        self.spool.seek(self.offset)
        return self.spool.read(self.length)


class _Package(ZipFile):
    """The workbook's zip file. openpyxl adds a sheet with write(its temporary file, name in the package):
    here that "file" is its part in the spool."""

    def write(self, filename, arcname=None, *args, **kwargs):
        if isinstance(filename, _Part):
            self.writestr(arcname, filename.read())
        else:
            super().write(filename, arcname, *args, **kwargs)


_SHEET_START = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr fitToPage="1" /></sheetPr>'
    '<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" /><cols>{columns}</cols><sheetData>'
)
_FROZEN_HEADER_VIEW = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen" />'
                       '<selection pane="bottomLeft" activeCell="A1" sqref="A1" />')
_PLAIN_VIEW = '<selection activeCell="A1" sqref="A1" />'
# A4 (paper size 9), one page wide and as many tall as it takes, centred.
_SHEET_END = (
    '</sheetData>{merges}{links}<printOptions horizontalCentered="1" />'
    '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.5" footer="0.5" />'
    '<pageSetup orientation="{orientation}" paperSize="9" fitToHeight="0" fitToWidth="1" /></worksheet>'
)
MAX_CELL_TEXT = 32767  # characters; openpyxl cuts longer text, as Excel would refuse it


class _SheetWriter(WorksheetWriter):
    """Writes a sheet's part as XML text: the XML openpyxl's own writer makes through an element per cell.

    It takes the place of openpyxl's writer (the sheet's `_writer` in openpyxl 3.1): closing the sheet
    calls write_rows() and write_tail(), which stores the part as `out`, and the save packs `out`.
    """

    def __init__(self, book: _Book, sheet, widths, *, portrait: bool, frozen_header: bool):
        super().__init__(sheet, out=book.spool)  # where the part goes; openpyxl's writer makes a temporary file
        sheet._writer = self
        self.book, self.orientation, self.row = book, "portrait" if portrait else "landscape", 0
        # A set, as openpyxl keeps merged ranges (hashed as these tuples), so they come out in its order.
        self.merges: set[tuple[int, int, int, int]] = set()
        self.links: list[str] = []
        columns = "".join(
            f'<col width="{safe_string(float(width))}" customWidth="1" min="{column}" max="{column}" />'
            for column, width in enumerate(widths, start=1)
        )
        view = _FROZEN_HEADER_VIEW if frozen_header else _PLAIN_VIEW
        self.chunks = [_SHEET_START.format(view=view, columns=columns)]

    def add_row(self, cells, *, height=None) -> None:
        """A row of (value, style) pairs, None where there is no cell; `height` in points."""
        self.row += 1
        size = f' ht="{safe_string(float(height))}" customHeight="1"' if height is not None else ""
        xml = "".join(self._cell(column, *cell) for column, cell in enumerate(cells, start=1) if cell is not None)
        self.chunks.append(f'<row r="{self.row}"{size}>{xml}</row>')

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        self.merges.add((first_row, first_column, last_row, last_column))

    def link(self, column: int, location: str, *, display: str) -> None:
        """A hyperlink from the cell at `column` of the last row to `location` in the workbook."""
        self.links.append(f'<hyperlink ref="{get_column_letter(column)}{self.row}" '
                          f'location="{_attribute(location)}" display="{_attribute(display)}" />')

    def finish(self) -> None:
        """Close the sheet, which has openpyxl call write_rows() and write_tail() and close this writer."""
        self.ws.close()

    # What openpyxl calls on this writer.

    def get_stream(self):
        yield  # openpyxl's writer streams elements to its temporary file; this one keeps text in `chunks`

    def write_rows(self):
        """Nothing: each row was written as it was added."""

    def write_tail(self):
        merges = "".join(
            f'<mergeCell ref="{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}" />'
            for top, left, bottom, right in self.merges
        )
        self.chunks.append(_SHEET_END.format(
            merges=f'<mergeCells count="{len(self.merges)}">{merges}</mergeCells>' if merges else "",
            links=f"<hyperlinks>{''.join(self.links)}</hyperlinks>" if self.links else "",
            orientation=self.orientation,
        ))
        self.out = self.book.store("".join(self.chunks))
        self.chunks = self.merges = self.links = None  # openpyxl keeps the writer until the save

    def cleanup(self):
        """Nothing: the spool goes after the save."""

    # Cells

    def _cell(self, column: int, value, style: str) -> str:
        if isinstance(value, str):
            # Control characters other than tab and line ends cannot be stored in a workbook.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT] or None
        # Text a spreadsheet would read as a formula stays typed text: a string cell (never a formula),
        # and the quote prefix keeps it text when someone edits the cell in a spreadsheet.
        quoted = isinstance(value, str) and value.startswith(FORMULA_STARTS)
        start = f'<c r="{get_column_letter(column)}{self.row}" s="{self.book.style_id(self.ws, style, quoted)}"'
        if value is None:
            return f'{start} t="n" />'
        if isinstance(value, str):
            if value in ERROR_CODES:  # "#N/A" and the like: openpyxl writes these as Excel's error values
                return f'{start} t="e"><v>{value}</v></c>'
            return f'{start} t="inlineStr"><is>{_text(value)}</is></c>'
        if isinstance(value, (int, float, Decimal)):
            return f'{start} t="n"><v>{safe_string(value)}</v></c>'
        raise TypeError(f"a cell holds text or a number, not {value!r}")


def _text(value: str) -> str:
    # Without xml:space, a reader drops leading and trailing spaces (openpyxl marks text that has some, even all).
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<t{space}>{escape(value, {chr(13): '&#13;'})}</t>"  # a raw CR would be read back as LF


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


# --- Grid rows ----------------------------------------------------------------------------------


class _RowWriter:
    """Appends the rows of a grid: eight (or more) cells each, bordered, merges per row, estimated heights."""

    def __init__(self, sheet: _SheetWriter, widths):
        self.sheet, self.widths = sheet, widths

    def add(self, cells, *, merges=(), height=None, border=True, unmeasured=()):
        """`cells`: (value, style) or None for an empty (or covered) cell; `merges`: column spans like "C:H"."""
        cells = list(cells) + [None] * (len(self.widths) - len(cells))
        spans = self._spans(merges)
        if height is None:
            height = self._height(cells, spans, unmeasured)
        empty = (None, LABEL) if border else None
        self.sheet.add_row([cell if cell is not None else empty for cell in cells], height=height)
        row = self.sheet.row
        for first, last in spans.items():
            if last > first:
                self.sheet.merge(row, first + 1, row, last + 1)

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
            if cell is None or index in unmeasured or not isinstance(cell[0], str):
                continue  # a number fits on a line
            width = sum(self.widths[index:spans.get(index, index) + 1])
            lines = max(lines, line_count(cell[0], width))
        return min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 6))


@functools.lru_cache(maxsize=4096)  # labels, 指标 names and targets repeat from form to form
def line_count(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a Chinese character counts two)."""
    capacity = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(_display_width(paragraph) / capacity)) for paragraph in text.split("\n"))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
