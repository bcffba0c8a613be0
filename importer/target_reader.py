"""The target table reader: rows of cells (importer.grid) in, 项目支出绩效目标申报表 out.

A target table is the first half of a form: 项目名称, 主管部门, 实施单位, the year's funds, 年度总体目标
and the indicator rows (一级 / 二级 / 三级, 指标性质 / 指标值 / 度量单位, 分值), without actuals or
scores. Its sources are those of forms (importer.sources.parse_file with this module's read_grid):
text dumps, pdftotext -layout, PDFs, workbooks. Every row is read or becomes a note saying why it
was passed over; a table that cannot be read is a FormError with its place. Plain Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from evaluations.scoring import CENT, joined_target
from importer import sources, vocabulary
from importer.grid import Grid
from importer.parsing import (  # the form reader's cell helpers: both readers see a cell alike
    _YEAR, FormError, _despace, _key, _level, _line, _number, _paragraphs, _value,
)
from importer.vocabulary import label_key

TITLE = re.compile(r"绩效目标(?:申报)?表")
NO_TABLE = "未找到绩效目标表：文件中没有标题为“……项目支出绩效目标申报表”或“……绩效目标表”的表格。"
# The funding rows a target table prints, by the kind importer.vocabulary gives their label.
BUDGET_FIELDS = {"total": "budget", "current_year": "budget_current_year", "other": "budget_other"}
_REQUIRED = ("level1", "level2", "name", "target", "weight")
_TEN_THOUSAND = Decimal("10000")


@dataclass
class TargetRow:
    level1: str
    level2: str
    name: str
    target: str
    weight: Decimal


@dataclass
class ParsedTargetTable:
    file: str
    lines: tuple[int, int] | None
    pages: tuple[int, int] | None
    year: int
    project_name: str
    department: str
    unit: str
    goal: str
    budget: Decimal | None
    budget_current_year: Decimal | None
    budget_other: Decimal | None
    indicators: list[TargetRow]
    notes: list[dict] = field(default_factory=list)  # {"place": "第 12 行", "message": …}: every row passed over

    @property
    def source(self) -> str:
        """The file and where in it: `a.txt 第 3–40 行`, `a.pdf 第 2–3 页`."""
        span, unit = (self.lines, "行") if self.lines is not None else (self.pages, "页")
        if span is None:
            return self.file
        return f"{self.file} 第 {span[0]} {unit}" if span[0] == span[1] else f"{self.file} 第 {span[0]}–{span[1]} {unit}"

    @property
    def warnings(self) -> list[str]:
        return [f"{note['place']}：{note['message']}" if note["place"] else note["message"] for note in self.notes]


class _Problem(Exception):
    """A table that cannot be read; the message says why, for the user."""


def parse_file(data: bytes, name: str) -> tuple[list[ParsedTargetTable], list[FormError]]:
    """The target tables of one file (PDF, text or .xlsx); raises parsing.ParseError as the form import does."""
    return sources.parse_file(data, name, reader=read_grid)


def is_title(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    if len(filled) != 1:
        return False
    text = _YEAR.sub("", _despace(filled[0]))
    return len(text) <= 40 and TITLE.search(text) is not None


def read_grid(grid: Grid, file: str = "") -> tuple[list[ParsedTargetTable], list[FormError]]:
    """The target tables of a grid (any source), one error for each that cannot be read. Never raises."""
    rows = grid.rows
    titles = [index for index, cells in enumerate(rows) if is_title(cells)]
    tables, errors = [], []
    if not titles:
        filled = [index for index, cells in enumerate(rows) if any(cells)]
        place = grid.span(filled[0], filled[-1]) if filled else grid.span(0, 0)
        return [], [FormError(file, place[0], "", NO_TABLE, place[1])]
    before = [index for index in range(titles[0]) if any(rows[index])]
    for title, stop in zip(titles, titles[1:] + [len(rows)]):
        reader = _TableReader(grid, title, stop, file)
        if before:
            reader.note(before[0], f"标题之前的 {len(before)} 行不属于任何绩效目标表，已跳过。")
            before = []
        try:
            tables.append(reader.read())
        except _Problem as problem:
            errors.append(reader.error(str(problem)))
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not stop the others
            errors.append(reader.error(f"读取此表时程序出错（{type(exc).__name__}），请检查此表的格式。"))
    return tables, errors


class _TableReader:
    """Reads one target table: the rows from its title up to the next title."""

    def __init__(self, grid: Grid, title: int, stop: int, file: str):
        self.grid, self.rows, self.title, self.stop, self.file = grid, grid.rows, title, stop, file
        self.year: int | None = None
        self.names = {"project_name": "", "department": "", "unit": ""}
        self.budgets: dict[str, Decimal | None] = dict.fromkeys(BUDGET_FIELDS.values())
        self.in_yuan = False
        self.goal: list[str] = []
        self.goal_open = False  # unlabelled rows after the goal's label continue its text
        self.columns: dict[str, int] | None = None
        self.indicators: list[dict] = []
        self.total: Decimal | None = None
        self.total_row: int | None = None
        self.notes: list[dict] = []

    def note(self, index: int | None, message: str) -> None:
        self.notes.append({"place": self.grid.place(index) if index is not None else "", "message": message})

    def error(self, message: str) -> FormError:
        filled = [index for index in range(self.title, self.stop) if any(self.rows[index])]
        lines, pages = self.grid.span(self.title, filled[-1])
        return FormError(self.file, lines, self.names["project_name"], message, pages)

    def read(self) -> ParsedTargetTable:
        self._read_year(self.rows[self.title])
        last = self.title
        for index in range(self.title + 1, self.stop):
            cells = self.rows[index]
            filled = [cell for cell in cells if cell]
            if not filled or (len(filled) == 1 and vocabulary.PAGE_NUMBER.match(filled[0])):
                continue  # a page break, page furniture
            last = index
            if self.total_row is not None:
                self.note(index, f"表格之后的文字：“{_line(' '.join(filled))[:60]}”，已跳过。")
            elif self._is_indicator_header(cells):
                self._read_indicator_header(cells, index)
            elif self.columns is not None:
                self._read_indicator_row(cells, index)
            else:
                self._read_head_row(cells, index)
        return self._finish(last)

    # The head: year, names, funds, goal.

    def _read_year(self, cells: list[str]) -> bool:
        match = _YEAR.search(" ".join(cells))
        if match and self.year is None:
            self.year = int(match.group(1))
            return True
        return False

    def _read_head_row(self, cells: list[str], index: int) -> None:
        keys = [_key(cell) for cell in cells]
        heads = [vocabulary.HEAD_LABELS.get(label_key(key)) if key else None for key in keys]
        if any(heads):
            self.goal_open = False
            for at, name in enumerate(heads):
                if name:
                    stop = next((i for i in range(at + 1, len(heads)) if heads[i]), len(cells))
                    self.names[name] = vocabulary.CODE_PREFIX.sub("", _line(" ".join(c for c in cells[at + 1:stop] if c)))
            return
        funding = next((at for at, key in enumerate(keys) if key and label_key(key) in vocabulary.FUNDING_ROWS), None)
        if funding is not None:
            self.goal_open = False
            self._read_funding_row(cells, keys, funding, index)
            return
        goal = next((at for at, key in enumerate(keys) if key and (key == vocabulary.GOAL_LABEL or
                                                                    vocabulary.GOAL_ROWS.get(label_key(key)) == "expected")), None)
        if goal is not None:
            self.goal_open = True
            self.goal += [cell for cell in cells[goal + 1:] if cell]
            return
        if self.goal_open:
            self.goal += [cell for cell in cells if cell]
            self.note(index, "没有标签，已作为年度总体目标的续行合并。")
            return
        if not self.names["project_name"] and self._read_year(cells) and len([c for c in cells if c]) == 1:
            return
        if all(not key or label_key(key).startswith(vocabulary.FUNDING_BLOCKS) for key in keys):
            self._read_block_label(keys)
            return
        self.note(index, f"未识别的行“{_line(' '.join(c for c in cells if c))[:40]}”，已跳过。")

    def _read_block_label(self, keys: list[str]) -> None:
        """项目资金（万元）alone on its row: it says the unit of the funds."""
        self.in_yuan = any(re.search(r"[(（]元[)）]", key) for key in keys)

    def _read_funding_row(self, cells: list[str], keys: list[str], at: int, index: int) -> None:
        if any(label_key(key).startswith(vocabulary.FUNDING_BLOCKS) for key in keys[:at] if key):
            self._read_block_label(keys[:at])
        kind = vocabulary.FUNDING_ROWS[label_key(keys[at])]
        values = [cell for cell in cells[at + 1:] if cell]
        if kind not in BUDGET_FIELDS:
            self.note(index, f"资金行“{keys[at]}”不是绩效目标表的资金（年度资金总额、财政拨款、其他资金），已跳过。")
            return
        if len(values) != 1 or (values[0] not in vocabulary.NONE_MARKS and _number(values[0]) is None):
            raise _Problem(f"{self.grid.place(index)}：“{keys[at]}”的金额“{' '.join(values)}”不是一个数字。")
        amount = _number(values[0])
        if amount is not None and self.in_yuan:
            amount = (amount / _TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
        self.budgets[BUDGET_FIELDS[kind]] = None if amount is None else amount.quantize(CENT)

    # The indicators.

    @staticmethod
    def _is_indicator_header(cells: list[str]) -> bool:
        return sum(vocabulary.indicator_role(_key(cell)) in ("level1", "level2", "name") for cell in cells if cell) >= 2

    def _read_indicator_header(self, cells: list[str], index: int) -> None:
        self.goal_open = False
        columns = {}
        for at, cell in enumerate(cells):
            role = vocabulary.indicator_role(_key(cell)) if cell else None
            if role in ("actual", "score", "deviation"):
                raise _Problem(f"{self.grid.place(index)}：表头有“{cell}”列，这是自评表，不是绩效目标表；请在“导入自评表”页面导入。")
            if role and role != "ignored":
                columns.setdefault(role, at)
            elif cell:
                self.note(index, f"指标表头“{cell}”不是要读取的列，已跳过此列。")
        missing = [vocabulary.ROLE_LABELS[role] for role in _REQUIRED if role not in columns]
        if missing:
            raise _Problem(f"{self.grid.place(index)}：绩效指标表头缺少“{'”“'.join(missing)}”列。")
        if self.columns is not None:
            self.note(index, "分页后重复的指标表头，已跳过。")
        self.columns = columns

    def _read_indicator_row(self, cells: list[str], index: int) -> None:
        keys = [_key(cell) for cell in cells]
        first = next(key for key in keys if key)
        if label_key(first) in vocabulary.TOTAL_LABELS:
            numbers = [number for number in map(_number, cells) if number is not None]
            self.total, self.total_row = (numbers[-1] if numbers else None), index
            return
        parts = {role: cells[at] if at < len(cells) else "" for role, at in self.columns.items()}
        weight = _number(parts["weight"])
        if weight is None and parts["weight"]:
            raise _Problem(f"{self.grid.place(index)}：分值“{parts['weight']}”不是数字。")
        if weight is None:
            # A row without 分值 continues the row above it (a page break split it).
            if not self.indicators:
                raise _Problem(f"{self.grid.place(index)}：指标表头后的第一行没有分值。")
            above = self.indicators[-1]
            for role, text in parts.items():
                if text:
                    above[role] = f"{above.get(role, '')} {text}".strip()
            self.note(index, f"没有分值，已作为{self.grid.place(above['row'])}指标的续行合并（分页断行）。")
            return
        self.indicators.append({"row": index, **parts, "weight": weight})

    # Putting the table together.

    def _finish(self, last: int) -> ParsedTargetTable:
        if self.year is None:
            raise _Problem("标题下缺少年度，如“(2023 年度)”。")
        for name, label in (("project_name", "项目名称"), ("department", "主管部门"), ("unit", "实施单位")):
            if not self.names[name]:
                raise _Problem(f"缺少{label}。")
        if self.columns is None:
            raise _Problem("缺少绩效指标表头（一级指标、二级指标、三级指标、指标值、分值）。")
        if not self.indicators:
            raise _Problem("绩效指标表中没有任何指标。")
        indicators = self._rows()
        total = sum((row.weight for row in indicators), Decimal("0"))
        if self.total_row is None:
            self.note(None, "没有“合计”行，无法核对分值合计。")
        elif self.total is not None and self.total != total:
            raise _Problem(f"{self.grid.place(self.total_row)}：合计 {self.total} 与各项指标分值之和 {total} 不符。")
        lines, pages = self.grid.span(self.title, last)
        return ParsedTargetTable(
            file=self.file, lines=lines, pages=pages, year=self.year, goal=_paragraphs(self.goal),
            indicators=indicators, notes=self.notes, **self.names, **self.budgets,
        )

    def _rows(self) -> list[TargetRow]:
        """Merged 一级/二级 cells print their label once: empty ones take the label above."""
        rows, level1, level2 = [], "", ""
        for parts in self.indicators:
            own1, own2 = _level(parts.get("level1", "")), _level(parts.get("level2", ""))
            if own2 or (own1 and own1 != level1):
                level2 = own2
            level1 = own1 or level1
            name = _line(parts.get("name", ""))
            if not (level1 and level2 and name):
                missing = "一级指标" if not level1 else "二级指标" if not level2 else "三级指标名称"
                raise _Problem(f"{self.grid.place(parts['row'])}：指标缺少{missing}。")
            target = joined_target(_line(parts.get("operator", "")), _value(parts["target"]), _line(parts.get("unit", "")))
            rows.append(TargetRow(level1, level2, name, target, parts["weight"].quantize(CENT)))
        return rows
