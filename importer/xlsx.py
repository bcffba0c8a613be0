"""Read workbooks in the submission layout (FORM-LAYOUT.md) into the text parser's ParsedForm / FormError.

A workbook exported by zpb and filled or corrected offline is read like a text dump: every sheet but
汇总 is one form, found by its labels rather than by fixed rows (rows may have been inserted or
deleted), an empty 一级/二级 cell takes the label above it (merged cells keep theirs in the first
cell), and a sheet that cannot be read becomes a FormError while the others are read as usual.
Cells are taken as typed: numbers from numeric cells (or text that is a number), text as written.
Plain Python and openpyxl, no Django.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from evaluations.excel import FUNDING_HEADER, INDICATOR_HEADER, SUMMARY_TITLE, TITLE
from evaluations.scoring import (
    CENT, FUNDING_KIND_LABELS, FUNDING_KINDS, GRADES, FormFigures, FundingFigures, IndicatorFigures,
)
from importer.parsing import INTERNAL_ERROR, FormError, ParseError, ParsedForm, indicator_role

__all__ = ["check_archive", "looks_like_xlsx", "parse_workbook"]

XLSX_MAGIC = b"PK\x03\x04"  # a zip archive, as every .xlsx is
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the OLE container of the old .xls format
# A workbook packs its XML about 5–20 to 1; a "zip bomb" packs gigabytes into kilobytes. The densest real
# workbook under the 5 MB upload limit unpacks to well under this, which bounds what a preview may read.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PACKING_RATIO = 100
UNREADABLE = "文件不是可读取的 Excel 工作簿（.xlsx），可能已损坏或是其他格式的压缩文件。"


def looks_like_xlsx(data: bytes) -> bool:
    """A workbook rather than text: an .xlsx, or an old .xls that parse_workbook explains it cannot read."""
    return data.startswith((XLSX_MAGIC, XLS_MAGIC))


def parse_workbook(data: bytes, file: str) -> tuple[list[ParsedForm], list[FormError]]:
    """The forms of every form sheet; raises ParseError when the bytes are not a readable .xlsx workbook.

    A form's `file` is ``book.xlsx[sheet]`` and its `lines` are the sheet's rows.
    """
    check_archive(data)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a broken or foreign zip raises anything from KeyError to XML errors
        raise ParseError(UNREADABLE) from None
    forms, errors = [], []
    try:
        for sheet in workbook.worksheets:
            if sheet.title == SUMMARY_TITLE:
                continue
            sheet.reset_dimensions()  # don't trust the stored size of the used range
            rows = [[_Cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            reader = _SheetReader(rows, f"{file}[{sheet.title}]")
            try:
                form = reader.read()
            except _Problem as problem:
                errors.append(reader.error(str(problem)))
            except Exception as exc:  # noqa: BLE001 - one unreadable sheet must not stop the others
                errors.append(reader.error(f"{INTERNAL_ERROR}（{type(exc).__name__}），请检查此表的格式。"))
            else:
                if form is not None:
                    forms.append(form)
    finally:
        workbook.close()
    return forms, errors


def check_archive(data: bytes) -> None:
    """Raise ParseError unless `data` is a zip holding a workbook of a sane unpacked size; reads only the directory.

    The sizes are those the archive declares: Python's zipfile never unpacks a deflated member beyond its
    declared size (other methods may unpack a whole chunk at once, and no spreadsheet program writes them).
    """
    if data.startswith(XLS_MAGIC):
        raise ParseError("这是旧版 Excel 文件（.xls），无法读取；请在 Excel 中“另存为” .xlsx 格式后再导入。")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ParseError(UNREADABLE) from None
    if any(member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for member in members):
        raise ParseError(UNREADABLE)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        kind = "Word 文档（.docx）" if "word/document.xml" in names else "压缩包"
        raise ParseError(f"这是{kind}，不是 Excel 工作簿（.xlsx）。")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * len(data):
        raise ParseError(f"文件解压后有 {unpacked // (1024 * 1024)} MB，是压缩后大小的 {unpacked // len(data)} 倍，"
                         "不像正常的工作簿，已拒绝读取。")


class _Problem(Exception):
    """A sheet that cannot be read; the message is for the user."""


class _Cell:
    """A cell's value as typed and as text."""

    __slots__ = ("value", "text")

    def __init__(self, value):
        self.value = value
        self.text = _as_text(value)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


_WHITESPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(\d{4})\s*年")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_NONE_MARKS = frozenset({"", "-", "—", "－", "/"})

_FUNDING_FIELDS = ("budget_initial", "budget_full_year", "executed", "weight", "rate", "score")
_FUNDING_LABELS = {label.removeprefix("其中："): kind for kind, label in FUNDING_KIND_LABELS.items()}
_ROLES = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
_ROLE_LABELS = dict(zip(_ROLES, INDICATOR_HEADER))
_REQUIRED_ROLES = _ROLES[:7]


def _key(text: str) -> str:
    """A cell as a label: no inner spaces, no colons."""
    return _WHITESPACE.sub("", text).strip(":：")


def _printed(cell: "_Cell") -> str:
    """A funding row's label as printed, less 其中 and colons."""
    return _key(cell.text).removeprefix("其中").lstrip(":：")


def _funding_kind(text: str) -> str | None:
    return _FUNDING_LABELS.get(_key(text).removeprefix("其中").lstrip(":："))


def _decimal(value) -> Decimal | None:
    """A numeric cell, or text that is only a number (a trailing % allowed); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        # A spreadsheet's binary float (0.1 + 0.2 = 0.30000000000000004) back to the decimal it shows.
        number = Decimal(repr(round(value, 6)))
    elif isinstance(value, str) and _NUMBER.fullmatch(text := value.strip().rstrip("%％")):
        number = Decimal(text.replace(",", ""))
    else:
        return None
    return number.quantize(CENT) if number.as_tuple().exponent > -2 else number


class _SheetReader:
    def __init__(self, rows: list[list[_Cell]], file: str):
        self.rows, self.file = rows, file
        self.title: int | None = None
        self.year: int | None = None
        self.project_name = self.department = self.unit = ""
        self.funding_columns: dict[str, int] | None = None
        self.funding: dict[str, FundingFigures] = {}
        self.goal_columns: tuple[int, int] | None = None
        self.goal_expected: list[str] = []
        self.goal_actual: list[str] = []
        self.columns: dict[str, int] | None = None
        self.has_deviation = False
        self.indicators: list[IndicatorFigures] = []
        self.level1 = self.level2 = ""
        self.total: Decimal | None = None
        self.grade: str | None = None
        self.end: int | None = None
        self.warnings: list[str] = []

    def error(self, message: str) -> FormError:
        filled = [number for number, cells in enumerate(self.rows, start=1) if any(c.text for c in cells)]
        first = self.title or (filled[0] if filled else 1)
        return FormError(self.file, (first, filled[-1] if filled else first), self.project_name, message)

    def read(self) -> ParsedForm | None:
        """The sheet's form; None for a sheet that holds no form at all (notes, an empty sheet)."""
        titled = (n for n, cells in enumerate(self.rows, start=1) if any("自评表" in _key(c.text) for c in cells))
        self.title = next(titled, None)
        if self.title is None:
            if any(_key(c.text) in ("项目名称", "一级指标", "评分等级") for cells in self.rows for c in cells):
                raise _Problem(f"缺少标题“{TITLE}”。")
            return None
        for number in range(self.title, len(self.rows) + 1):
            cells = self.rows[number - 1]
            filled = [(index, cell) for index, cell in enumerate(cells) if cell.text]
            if not filled:
                continue
            key = _key(filled[0][1].text)
            if key == "评分等级":
                self._read_grade(filled, number)
                self.end = number
                break
            if key == "总分":
                self._read_total(cells, number)
            elif key == "一级指标":
                self._read_indicator_header(filled, number)
            elif self.columns is not None:
                self._read_indicator(cells, number)
            elif self.goal_columns is not None and not key.startswith("年度总体目标"):
                self._read_goal_row(cells)
            else:
                self._read_head_row(filled, cells, number)
        return self._finish()

    # The head: year, names, funding, goals.

    def _read_head_row(self, filled, cells, number) -> None:
        keys = [_key(cell.text) for _, cell in filled]
        # The year is printed under the title, before 项目名称 (whose name may hold a year of its own).
        if self.year is None and not self.project_name and (match := _YEAR.search(filled[0][1].text)):
            self.year = int(match.group(1))
        if "项目名称" in keys:
            self.project_name = self._after(filled, keys.index("项目名称"), None)
        elif "主管部门" in keys or "实施单位" in keys:
            unit_at = keys.index("实施单位") if "实施单位" in keys else len(filled)
            if "主管部门" in keys:
                self.department = self._after(filled, keys.index("主管部门"), unit_at)
            self.unit = self._after(filled, unit_at, None)
        elif "年初预算数" in keys:
            self._read_funding_header(filled)
        elif any(key.startswith("年度总体目标") for key in keys) or "预期目标" in keys:
            self._read_goal_header(filled, keys, number)
        else:
            self._read_funding_row(filled, cells, number)

    @staticmethod
    def _after(filled, label_at: int, stop: int | None) -> str:
        return next((cell.text for _, cell in filled[label_at + 1:stop]), "")

    def _read_funding_header(self, filled) -> None:
        columns = {}
        for index, cell in filled:
            for field, label in zip(_FUNDING_FIELDS, FUNDING_HEADER):
                if _key(cell.text).startswith(label.split("(")[0]) and field not in columns:
                    columns[field] = index
        if len(columns) == len(_FUNDING_FIELDS):
            self.funding_columns = columns

    def _read_funding_row(self, filled, cells, number) -> None:
        found = next(((index, kind) for index, cell in filled if (kind := _funding_kind(cell.text))), None)
        if found is None:
            return
        label_at, kind = found
        label = FUNDING_KIND_LABELS[kind]
        if kind in self.funding:
            self.warnings.append(f"第 {number} 行：重复的“{label}”行，已忽略。")
            return
        columns = self.funding_columns or {field: label_at + 1 + n for n, field in enumerate(_FUNDING_FIELDS)}

        def value(field, optional):
            index = columns[field]
            cell = cells[index] if index < len(cells) else _Cell(None)
            number_value = _decimal(cell.value)
            if number_value is None and not (optional and cell.text in _NONE_MARKS):
                header = FUNDING_HEADER[_FUNDING_FIELDS.index(field)]
                where = f"第 {number} 行（{label}）{get_column_letter(index + 1)} 列"
                raise _Problem(f"{where}：{header}“{cell.text or '（空）'}”不是数字。")
            return number_value

        amounts = [value(field, optional=False) for field in _FUNDING_FIELDS[:3]]
        rate = value("rate", optional=True)
        if kind == "total":
            weight, score = value("weight", optional=True), value("score", optional=True)
            self.funding[kind] = FundingFigures(kind, *amounts, weight=weight, rate=rate, score=score, label=_printed(cells[label_at]))
        else:
            self.funding[kind] = FundingFigures(kind, *amounts, rate=rate, label=_printed(cells[label_at]))

    def _read_goal_header(self, filled, keys, number) -> None:
        expected = next((index for (index, _), key in zip(filled, keys) if key == "预期目标"), None)
        actual = next((index for (index, _), key in zip(filled, keys) if key.startswith("实际完成")), None)
        if expected is None or actual is None:
            raise _Problem(f"第 {number} 行：年度总体目标缺少“预期目标”或“实际完成情况”表头。")
        self.goal_columns = (expected, actual)

    def _read_goal_row(self, cells) -> None:
        expected, actual = self.goal_columns
        for index, texts in ((expected, self.goal_expected), (actual, self.goal_actual)):
            if index < len(cells) and cells[index].text:
                texts.append(cells[index].text)

    # The indicators, 总分 and 评分等级.

    def _read_indicator_header(self, filled, number) -> None:
        columns = {}
        for index, cell in filled:
            role = indicator_role(_key(cell.text))
            if role and role not in columns:
                columns[role] = index
        missing = [_ROLE_LABELS[role] for role in _REQUIRED_ROLES if role not in columns]
        if missing:
            raise _Problem(f"第 {number} 行：绩效指标表头缺少“{'”“'.join(missing)}”列。")
        if self.columns is not None:
            self.warnings.append(f"第 {number} 行：重复的指标表头，已跳过。")
        self.has_deviation = "deviation" in columns
        self.columns = columns

    def _read_indicator(self, cells, number) -> None:
        def cell(role) -> _Cell:
            index = self.columns.get(role)
            return cells[index] if index is not None and index < len(cells) else _Cell(None)

        own1, own2 = _key(cell("level1").text), _key(cell("level2").text)
        if own2 or (own1 and own1 != self.level1):
            self.level2 = own2
        self.level1 = own1 or self.level1
        weight, score = (self._number(cell(role), role, number) for role in ("weight", "score"))
        name = cell("name").text
        for value, label in ((self.level1, "一级指标"), (self.level2, "二级指标"), (name, "三级指标名称")):
            if not value:
                raise _Problem(f"第 {number} 行：指标缺少{label}。")
        self.indicators.append(IndicatorFigures(
            level1=self.level1,
            level2=self.level2,
            name=name,
            target=cell("target").text,
            actual=cell("actual").text,
            weight=weight,
            score=score,
            deviation=cell("deviation").text,
        ))

    def _number(self, cell: _Cell, role: str, number: int) -> Decimal:
        value = _decimal(cell.value)
        if value is None:
            column = get_column_letter(self.columns[role] + 1)
            raise _Problem(f"第 {number} 行 {column} 列：{_ROLE_LABELS[role]}“{cell.text or '（空）'}”不是数字。")
        return value

    def _read_total(self, cells, number) -> None:
        at = self.columns["score"] if self.columns else None
        value = _decimal(cells[at].value) if at is not None and at < len(cells) else None
        if value is None:
            raise _Problem(f"第 {number} 行：总分行的得分不是数字。")
        self.total = value

    def _read_grade(self, filled, number) -> None:
        text = _key(filled[1][1].text) if len(filled) > 1 else ""
        if not text or text[0] not in GRADES:
            raise _Problem(f"第 {number} 行：评分等级“{text}”不是优、良、中、差之一。")
        self.grade = text[0]

    # Putting the form together.

    def _finish(self) -> ParsedForm:
        if self.end is None:
            raise _Problem("表格缺少评分等级行（表格不完整）。")
        if self.total is None:
            raise _Problem(f"第 {self.end} 行的评分等级之前缺少总分行。")
        if self.year is None:
            raise _Problem("标题下缺少年度，如“（2023年度）”。")
        if not self.project_name:
            raise _Problem("缺少项目名称。")
        missing = [FUNDING_KIND_LABELS[kind] for kind in FUNDING_KINDS if kind not in self.funding]
        if missing:
            raise _Problem(f"项目资金缺少“{'”“'.join(missing)}”行。")
        if self.columns is None:
            raise _Problem("缺少绩效指标表头（一级指标、二级指标、三级指标、年度指标值、实际完成值、分值、得分）。")
        if not self.indicators:
            raise _Problem("绩效指标表中没有任何指标。")
        if self.goal_columns is None:
            self.warnings.append("未找到年度总体目标（预期目标、实际完成情况）。")
        trailing = [n for n in range(self.end + 1, len(self.rows) + 1) if any(c.text for c in self.rows[n - 1])]
        if trailing:
            self.warnings.append(f"第 {trailing[0]}–{trailing[-1]} 行在评分等级之后，已忽略。")
        return ParsedForm(
            file=self.file,
            lines=(self.title, self.end),
            year=self.year,
            project_name=self.project_name,
            department=self.department,
            unit=self.unit,
            goal_expected="\n".join(self.goal_expected),
            goal_actual="\n".join(self.goal_actual),
            figures=FormFigures(
                funding=[self.funding[kind] for kind in FUNDING_KINDS],
                indicators=self.indicators,
                declared_total=self.total,
                declared_grade=self.grade,
            ),
            has_deviation_column=self.has_deviation,
            notes=[{"place": "", "message": warning} for warning in self.warnings],
        )
