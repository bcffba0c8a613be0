"""The 项目支出绩效目标申报表 as a worksheet, in the layout of the official table. openpyxl, no Django."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from evaluations.excel import LINE_HEIGHT, MAX_ROW_HEIGHT, MIN_ROW_HEIGHT, line_count

TITLE = "项目支出绩效目标申报表"
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值")
WIDTHS = (12, 14, 28, 9, 12, 10, 8)
NUMBER_FORMAT = "0.00"

_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10, charset=134)
_BOLD = Font(name="宋体", size=10, bold=True, charset=134)
_TITLE_FONT = Font(name="宋体", size=14, bold=True, charset=134)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def write_table(out, table) -> None:
    """Write `table` (a TargetTable with its project, unit, department and indicators) to `out` as .xlsx."""
    book = Workbook()
    sheet = book.active
    sheet.title = "绩效目标申报表"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = len(WIDTHS)
    row = _Rows(sheet, last)
    row.merged(TITLE, font=_TITLE_FONT, border=False)
    row.merged(f"（{table.year}年度）", border=False)
    row.pairs([("项目名称", 2), (table.project.name, last - 2)])
    row.pairs([("主管部门", 2), (table.project.unit.department.name, 2), ("实施单位", 1),
               (table.project.unit.name, last - 5)])
    budgets = [("年度资金总额", table.budget), ("其中：财政拨款", table.budget_current_year),
               ("其他资金", table.budget_other)]
    first = row.number
    for label, amount in budgets:
        row.pairs([("", 1), ("", 1), (label, 2), (amount, last - 4)])
    sheet.merge_cells(start_row=first, start_column=1, end_row=row.number - 1, end_column=2)
    sheet.cell(first, 1, "项目资金（万元）").font = _BOLD
    goal_row = row.number
    # A line's room above and below the goal: text laid out by position (pdftotext -layout) keeps it apart
    # from the funding rows, whose one figure a line would not tell from a wrapped goal's.
    row.pairs([("年度总体目标", 2), (table.goal, last - 2)], padding=2)
    sheet.cell(goal_row, 3).alignment = _LEFT
    header_row = row.number
    row.cells([(label, True) for label in INDICATOR_HEADER])
    for indicator in table.indicators.all():
        nature, value, unit = indicator.printed()
        row.cells([(indicator.level1, False), (indicator.level2, False), (indicator.name, False),
                   (nature, False), (value, False), (unit, False), (indicator.weight, False)])
    row.cells([("合计", True), ("", False), ("", False), ("", False), ("", False), ("", False),
               (table.weight_total(), False)])
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # All seven columns on the page's width, as many pages down as the indicators take.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.save(out)


class _Rows:
    """Appends bordered rows; text is always stored as text, so nothing typed is taken for a formula."""

    def __init__(self, sheet, columns):
        self.sheet, self.columns, self.number = sheet, columns, 1

    def _put(self, column, value, bold=False):
        cell = self.sheet.cell(self.number, column)
        cell.value = value if value is not None else ""
        if isinstance(value, str):
            cell.data_type = "s"
        else:
            cell.number_format = NUMBER_FORMAT
        cell.font, cell.alignment, cell.border = (_BOLD if bold else _FONT), _CENTER, _GRID
        return cell

    def merged(self, text, font=_FONT, border=True):
        cell = self._put(1, text)
        cell.font = font
        if not border:
            cell.border = Border()
        self.sheet.merge_cells(start_row=self.number, start_column=1, end_row=self.number, end_column=self.columns)
        self.number += 1

    def pairs(self, spans, padding=0):
        """Label, value, label, value…: each (value, columns it spans); even places are labels."""
        column, widths = 1, []
        for index, (value, span) in enumerate(spans):
            self._put(column, value, bold=index % 2 == 0)
            for extra in range(column + 1, column + span):
                self._put(extra, None)
            if span > 1:
                self.sheet.merge_cells(start_row=self.number, start_column=column, end_row=self.number,
                                       end_column=column + span - 1)
            widths.append((value, sum(WIDTHS[column - 1:column - 1 + span])))
            column += span
        self._fit(widths, padding)

    def cells(self, values):
        for column, (value, bold) in enumerate(values, start=1):
            self._put(column, value, bold)
        self._fit([(value, WIDTHS[column]) for column, (value, _) in enumerate(values)])

    def _fit(self, values_and_widths, padding=0):
        """The row as tall as its longest wrapped text (and `padding` lines more), so a printout shows every word."""
        lines = padding + max((line_count(value, width) for value, width in values_and_widths
                               if isinstance(value, str) and value), default=1)
        self.sheet.row_dimensions[self.number].height = min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 6))
        self.number += 1
