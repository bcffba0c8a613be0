"""Read text dumps of published 财政项目支出绩效自评表 PDFs into scoring figures.

Lines in, forms out. A dump is the PDF's tables flattened to tab-separated rows, with blank lines
at page breaks; rows and cells are split at those breaks and the columns shift between forms and
pages. Each form is read on its own: one that cannot be read becomes a FormError with its line
range, and the next form is read as usual. Plain Python, no Django.
"""

from __future__ import annotations

import codecs
import html
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from evaluations.scoring import GRADES, FormFigures, FundingFigures, IndicatorFigures, normalize_notation

__all__ = ["INTERNAL_ERROR", "FormError", "ParseError", "ParsedForm", "decode", "parse_bytes", "parse_text"]


class ParseError(ValueError):
    """The bytes are not text in any encoding the dumps come in."""


@dataclass
class ParsedForm:
    file: str
    lines: tuple[int, int]  # 1-based first and last line of the form in the file
    year: int
    project_name: str
    department: str
    unit: str
    goal_expected: str
    goal_actual: str
    figures: FormFigures
    has_deviation_column: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class FormError:
    file: str
    lines: tuple[int, int]
    project_name: str  # "" if not known
    message: str


# How the message of a FormError starts when reading the form hit a bug rather than a broken form.
INTERNAL_ERROR = "读取此表时程序出错"


# --- Bytes to text -----------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 (BOM or not) or GB18030 bytes → text with ``\\n`` line ends."""
    text = _decode(data)
    # A stray control character can sit in a real dump; many of them mean a binary file.
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise ParseError("文件含有大量控制字符，不是文本文件。")
    return _normalize_line_ends(text)


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _required(_decode_as(data, encoding), f"文件以 {encoding.upper()} 标记开头，但内容不是该编码的文本。")
    if b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise ParseError("文件含有空字节，既不是 UTF-16 文本，也不是 UTF-8 或 GB18030 文本。")
        return _required(_decode_as(data, encoding), "文件看似无标记的 UTF-16 文本，但无法按 UTF-16 解码。")
    # UTF-8 first: it is the stricter of the two, GB18030 text hardly ever passes for UTF-8.
    for encoding in ("utf-8", "gb18030"):
        text = _decode_as(data, encoding)
        if text is not None:
            return text
    raise ParseError("文件既不是 UTF-8，也不是 GB18030 或 UTF-16 编码的文本。")


def _bomless_utf16(data: bytes) -> str | None:
    # ASCII (tabs, digits, line ends) puts a NUL in the high byte of its code unit; a few CJK
    # characters put one in the low byte, so the high-byte side must clearly dominate.
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 3 * even:
        return "utf-16-le"
    if even > 3 * odd:
        return "utf-16-be"
    return None


def _decode_as(data: bytes, encoding: str) -> str | None:
    """The text, unless more than a few bytes are not `encoding`.

    A file cut in the middle of a character, or with a stray byte, is still that text: decoding
    it as another encoding would garble every form, not just one character.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return text if text.count("\ufffd") * 200 <= len(text) else None


def _required(text: str | None, message: str) -> str:
    if text is None:
        raise ParseError(message)
    return text


def _normalize_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Text cleaning -----------------------------------------------------------

# The functions of one cell's text are cached (lru_cache): the same labels, names, targets and
# numbers recur form after form, and a cache hit costs less than the call of a Python function.

# Chinese characters and the punctuation set with them: a line wrap between two of these is no space.
_CJK_CHAR = re.compile(
    "[\u2018\u2019\u201c\u201d\u2014\u2026\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6\U00020000-\U0003134f]"
)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


@lru_cache(maxsize=4096)
def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or _CJK_CHAR.match(char) is not None


def _tidy(text: str) -> str:
    """No space left between two Chinese characters, one for every other run of white space."""
    # str.split and join, not re.sub: a substitution costs a microsecond per replacement.
    return _join_words(text.split())


def _join_words(words: list[str]) -> str:
    if len(words) < 2:
        return words[0] if words else ""
    pieces = [words[0]]
    for before, word in zip(words, words[1:]):
        if not (_is_cjk(before[-1]) and _is_cjk(word[0])):
            pieces.append(" ")
        pieces.append(word)
    return "".join(pieces)


def _unmarkup(text: str) -> str:
    """HTML entities decoded and tags removed; <p>, <br> and other block tags become line breaks."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(_tag_replacement, text)
    return text


def _tag_replacement(match: re.Match) -> str:
    return "\n" if match.group(1).lower() in _BLOCK_TAGS else ""


def _text(fragments: list[str]) -> str:
    """The fragments of one cell as one line of text."""
    return _line(" ".join(fragments))


@lru_cache(maxsize=4096)
def _line(text: str) -> str:
    """A cell's text as one line: markup removed, white space tidied."""
    if "<" in text or "&" in text:
        text = _unmarkup(text)
    words = text.split()
    return words[0] if len(words) == 1 else _join_words(words)


def _paragraphs(fragments: list[str]) -> str:
    """Goal texts: like a cell, but HTML paragraphs stay as line breaks."""
    paragraphs = map(_tidy, _unmarkup(" ".join(fragments)).split("\n"))
    return "\n".join(filter(None, paragraphs))


@lru_cache(maxsize=1024)
def _label(text: str) -> str:
    """Labels lose all inner spaces: `满意 度指 标` → `满意度指标`."""
    return _despace(_unmarkup(text))


def _despace(text: str) -> str:
    return "".join(text.split())


@lru_cache(maxsize=4096)
def _key(cell: str) -> str:
    """A cell as a label: no inner spaces (`一级 指标`), no colons."""
    return "".join(cell.split()).strip(":：")


# Exactly the texts scoring.normalize_notation changes (cells are already stripped).
_UNUSUAL_NOTATION = re.compile(r"[（）＝＞＜≧≦]|^[<>]=")


@lru_cache(maxsize=4096)
def _value(text: str) -> str:
    """A target or actual value as one line, in the notation scoring reads (`＞90（%）` → `>90(%)`)."""
    text = _line(text)
    return normalize_notation(text) if _UNUSUAL_NOTATION.search(text) else text


_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


@lru_cache(maxsize=4096)
def _number(text: str) -> Decimal | None:
    """The number a cell holds (`8.00`, `-3`, `1,234.50`), as printed; None if it holds anything else."""
    if not text:
        return None
    body = text[1:] if text[0] in "+-" else text
    if body.replace(".", "", 1).isdecimal():
        return Decimal(text)
    if "," in text and _GROUPED_NUMBER.fullmatch(text):
        return Decimal(text.replace(",", ""))
    return None


# --- Splitting the dump into forms -------------------------------------------

_TITLE = re.compile(r"项目支出绩效自评表")
_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年\s*度?\s*[)）]")
_FORM_MARKERS = ("项目名称", "年度资金总额", "一级指标", "总分", "评分等级")


class _Problem(Exception):
    """A form that cannot be read; the message says why, for the user."""


def parse_bytes(data: bytes, file: str = "") -> tuple[list[ParsedForm], list[FormError]]:
    """Like parse_text; raises ParseError when the bytes are not text (see decode)."""
    return parse_text(decode(data), file)


def parse_text(text: str, file: str = "") -> tuple[list[ParsedForm], list[FormError]]:
    """The forms of a dump, and one error for each form that cannot be read. Never raises."""
    lines = _normalize_line_ends(text.lstrip("\ufeff")).split("\n")
    titles = [i for i, line in enumerate(lines) if "自评表" in line and _is_title(line)]
    forms: list[ParsedForm] = []
    errors: list[FormError] = []
    preamble = _content_range(lines, 0, titles[0] if titles else len(lines))
    if preamble and _has_form_content(lines, *preamble):
        message = "这部分内容不在任何表格内：缺少标题“财政项目支出绩效自评表”。"
        errors.append(FormError(file, (preamble[0] + 1, preamble[1] + 1), "", message))
    for title, stop in zip(titles, titles[1:] + [len(lines)]):
        reader = _FormReader(lines, title, stop, file)
        try:
            forms.append(reader.read())
        except _Problem as problem:
            errors.append(reader.error(str(problem)))
        except Exception as exc:  # noqa: BLE001 - one unreadable form must not stop the others
            errors.append(reader.error(f"{INTERNAL_ERROR}（{type(exc).__name__}），请检查此表的格式。"))
    return forms, errors


def _is_title(line: str) -> bool:
    if "自评表" not in line or "\t" in line:
        return False
    text = _despace(line)
    return len(text) <= 40 and _TITLE.search(text) is not None


def _content_range(lines: list[str], start: int, stop: int) -> tuple[int, int] | None:
    filled = [i for i in range(start, stop) if lines[i].strip()]
    return (filled[0], filled[-1]) if filled else None


def _has_form_content(lines: list[str], first: int, last: int) -> bool:
    return any(marker in _despace(lines[i]) for i in range(first, last + 1) for marker in _FORM_MARKERS)


# --- The parts of a form -----------------------------------------------------

_FUNDING_KINDS = {"年度资金总额": "total", "当年财政拨款": "current_year", "上年结转资金": "carryover", "其他资金": "other"}
# Only a row whose keys hold one of the names can hold a funding label; the names alone are
# much quicker to search for than the whole label.
_FUNDING_NAME = re.compile("|".join(_FUNDING_KINDS))
_FUNDING_LABEL = re.compile(rf"(?:其中[:：]?)?({_FUNDING_NAME.pattern})[:：]?")
_FUNDING_COLUMNS = (
    ("budget_initial", "年初预算数"), ("budget_full_year", "全年预算数"), ("executed", "全年执行数"),
    ("weight", "分数"), ("rate", "执行率"), ("score", "得分"),
)
_FUNDING_HEADER = re.compile("|".join(label for _, label in _FUNDING_COLUMNS))
_NONE_MARKS = frozenset({"", "-", "—", "－", "/"})


# Header rows are read once per layout (cached): forms laid out alike have the same header keys.
@lru_cache(maxsize=64)
def _funding_header(keys: tuple[str, ...]) -> tuple[int, ...] | None:
    """Where the funding header puts each of _FUNDING_COLUMNS; None if it lacks one."""
    found: dict[str, int] = {}
    for index, key in enumerate(keys):
        match = _FUNDING_HEADER.match(key)
        if match:
            found.setdefault(match.group(), index)
    columns = tuple(found.get(label, -1) for _, label in _FUNDING_COLUMNS)
    return None if -1 in columns else columns


@lru_cache(maxsize=256)
def _funding_label(key: str) -> str | None:
    """The funding line a row label names (`其中:当年财政拨款` → 当年财政拨款), if any."""
    match = _FUNDING_LABEL.fullmatch(key)
    return match.group(1) if match else None


_LEFT_ROLES = ("level1", "level2", "name")
_LABEL_ROLES = ("level1", "level2")
_RIGHT_ROLES = ("target", "actual", "weight", "score", "deviation")
_ROLE_LABELS = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
    "actual": "实际完成值", "weight": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施",
}
_GOAL_LABEL = "年度总体目标"
# The first characters of 评分等级, 总分 and 一级指标, the rows that steer the reading.
_STEERING_STARTS = frozenset("评总一")


@lru_cache(maxsize=64)
def _indicator_header(keys: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The position of each role an indicator header names (the first cell naming it)."""
    positions: dict[str, int] = {}
    for position, key in enumerate(keys):
        role = indicator_role(key)
        if role and role not in positions:
            positions[role] = position
    return tuple(positions.items())


def indicator_role(label: str) -> str | None:
    """Which indicator column a header label names (the text dumps and the workbooks share the labels)."""
    for role in ("level1", "level2", "name", "weight", "score"):
        if label == _ROLE_LABELS[role]:
            return role
    if label.startswith("实际"):
        return "actual"
    if "指标值" in label:
        return "target"
    if label.startswith("偏差"):
        return "deviation"
    return None


class _Columns:
    """Where an indicator header puts each role: the grid the rows are read against."""

    def __init__(self, positions: dict[str, int]):
        self.positions = positions
        self.weight = positions["weight"]
        self.score_offset = positions["score"] - positions["weight"]
        self._tables: dict[tuple[int, int, int], tuple[str | None, ...]] = {}

    def roles(self, shift: int, width: int, score_offset: int | None = None) -> tuple[str | None, ...]:
        """The role of each cell of a row whose 分值 sits `shift` cells off the header's, and its
        得分 `score_offset` cells right of its 分值 (as in the header unless given).

        The 一级/二级/三级 columns keep their header places (rows start at the left edge); the
        others move with the numbers. A cell belongs to the nearest column on its left, as a
        merged cell starts at its leftmost column; only 分值 and 得分 are always one cell wide.
        """
        key = (shift, width, self.score_offset if score_offset is None else score_offset)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = self._role_table(*key)
        return table

    def _role_table(self, shift: int, width: int, score_offset: int) -> tuple[str | None, ...]:
        moved = {role: pos + shift for role, pos in self.positions.items() if role in _RIGHT_ROLES}
        for role in ("score", "deviation"):
            if role in moved:
                moved[role] += score_offset - self.score_offset
        right = sorted((pos, role) for role, pos in moved.items())
        left = [(pos, role) for role, pos in self.positions.items() if role in _LEFT_ROLES and pos < right[0][0]]
        spans = sorted(left) + right
        starts = [pos for pos, _ in spans]
        table = []
        for index in range(width):
            start, role = spans[max(bisect_right(starts, index) - 1, 0)]
            table.append(None if role in ("weight", "score") and index != start else role)
        return tuple(table)


@lru_cache(maxsize=64)
def _columns(positions: tuple[tuple[str, int], ...]) -> _Columns:
    """One _Columns per header layout, so that its role tables serve every form laid out alike."""
    return _Columns(dict(positions))


def _numeric_pair(cells: list[str], offset: int) -> tuple[int, int, Decimal, Decimal] | None:
    """分值 and 得分: the rightmost two number cells `offset` apart as in the header, or else side
    by side. Where the 分值 is, how far the 得分, and the two numbers."""
    for distance in (offset, 1) if offset != 1 else (1,):
        for index in range(len(cells) - 1 - distance, -1, -1):
            right = _number(cells[index + distance])
            if right is not None:
                left = _number(cells[index])
                if left is not None:
                    return index, distance, left, right
    return None


class _Draft:
    """One indicator while its rows are being joined."""

    __slots__ = ("line", "weight", "score", "parts")

    def __init__(self, line: int, weight: Decimal, score: Decimal):
        self.line, self.weight, self.score = line, weight, score
        self.parts: dict[str, str] = {}  # the text of each role, as its cells are joined


# --- One form ---------------------------------------------------------------


class _FormReader:
    """Reads one form: the lines from its title up to the next title."""

    def __init__(self, lines: list[str], title: int, stop: int, file: str):
        self.lines, self.title, self.stop, self.file = lines, title, stop, file
        self.end: int | None = None  # the 评分等级 line
        self.year: int | None = None
        self.project_name = self.department = self.unit = ""
        self.funding_columns: tuple[int, ...] | None = None
        self.funding: dict[str, FundingFigures] = {}
        self.goal_columns: tuple[int, int] | None = None
        self.goal_expected: list[str] = []
        self.goal_actual: list[str] = []
        self.columns: _Columns | None = None
        self.has_deviation = False
        self.drafts: list[_Draft] = []
        self.pending: list[tuple[int, int, list[str], _Columns]] = []  # rows without numbers
        self.page_shifts: dict[int, int] = {}
        self.total: Decimal | None = None
        self.grade = ""
        self.warnings: list[str] = []

    def error(self, message: str) -> FormError:
        last = _content_range(self.lines, self.title, self.stop)
        return FormError(self.file, (self.title + 1, (last[1] if last else self.title) + 1), self.project_name, message)

    # Reading, row by row.

    def read(self) -> ParsedForm:
        self._read_year(self.lines[self.title])
        page = 0
        for index, line in enumerate(self.lines[self.title + 1:self.stop], self.title + 1):
            if "\f" in line:  # pdftotext's page feed
                page += 1
                line = line.replace("\f", "")
            content = line.lstrip()
            if not content:
                page += 1
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            if content[0] in _STEERING_STARTS:
                key = _row_key(cells)
                if key == "评分等级":
                    self._read_grade(cells, index)
                    self.end = index
                    break
                if key == "总分":
                    self._read_total(cells, index, page)
                    continue
                if key.startswith("一级指标"):
                    self._read_indicator_header(cells, index)
                    continue
            if self.columns is not None:
                self._collect_indicator_row(cells, index, page)
            elif self.goal_columns is not None:
                self._read_goal_row(cells)
            else:
                self._read_head_row(line, cells, index)
        return self._finish()

    def _read_year(self, line: str) -> None:
        match = _YEAR.search(line)
        if match and self.year is None:
            self.year = int(match.group(1))

    def _read_head_row(self, line: str, cells: list[str], index: int) -> None:
        keys = list(map(_key, cells))
        if _FUNDING_NAME.search("".join(keys)) and self._read_funding_row(cells, keys, index):
            return
        if "项目名称" in keys:
            self.project_name = _text([c for c in cells[keys.index("项目名称") + 1:] if c])
        elif "主管部门" in keys or "实施单位" in keys:
            self._read_department(cells, keys)
        elif "年初预算数" in keys:
            self.funding_columns = _funding_header(tuple(keys))
        elif "预期目标" in keys:
            self._read_goal_header(keys)
        elif "\t" not in line:
            self._read_year(line)

    def _read_department(self, cells: list[str], keys: list[str]) -> None:
        unit_at = keys.index("实施单位") if "实施单位" in keys else len(cells)
        if "主管部门" in keys:
            self.department = _text([c for c in cells[keys.index("主管部门") + 1:unit_at] if c])
        if unit_at < len(cells):
            self.unit = _text([c for c in cells[unit_at + 1:] if c])

    def _read_funding_row(self, cells: list[str], keys: list[str], index: int) -> bool:
        for label_at, key in enumerate(keys):
            label = _funding_label(key)
            if label:
                break
        else:
            return False
        kind = _FUNDING_KINDS[label]
        if kind in self.funding:
            self.warnings.append(f"第 {index + 1} 行：重复的“{label}”行，已忽略。")
        else:
            values, numbers = self._funding_cells(cells, label_at)
            self.funding[kind] = self._funding_figures(kind, label, values, numbers, index)
        return True

    def _funding_cells(self, cells: list[str], label_at: int) -> tuple[list[str], list[Decimal | None]]:
        """The row's six value cells and their numbers: under the header's labels, or else right
        after the row's own label."""
        if self.funding_columns is None:
            offsets: list[int] | range = range(len(_FUNDING_COLUMNS))
        else:
            values = _cells_at(cells, self.funding_columns)
            numbers = list(map(_amount, values))
            # Not `None not in numbers[:3]`: comparing None with a Decimal is slow.
            initial, full_year, executed = numbers[:3]
            if initial is not None and full_year is not None and executed is not None:
                return values, numbers
            first = min(self.funding_columns)
            offsets = [position - first for position in self.funding_columns]
        values = _cells_at(cells, [label_at + 1 + offset for offset in offsets])
        return values, list(map(_amount, values))

    def _funding_figures(
        self, kind: str, label: str, values: list[str], numbers: list[Decimal | None], index: int
    ) -> FundingFigures:
        # Amounts must be numbers; 分数, 执行率 and 得分 may be `-`. The sub-lines have no 分数/得分.
        for column in (0, 1, 2, 3, 4, 5) if kind == "total" else (0, 1, 2, 4):
            if numbers[column] is None and (column < 3 or values[column] not in _NONE_MARKS):
                raise _Problem(f"第 {index + 1} 行（{label}）：{_FUNDING_COLUMNS[column][1]}“{values[column]}”不是数字。")
        initial, full_year, executed, weight, rate, score = numbers
        if kind != "total":
            weight = score = None
        return FundingFigures(kind, initial, full_year, executed, weight, rate, score)

    def _read_goal_header(self, keys: list[str]) -> None:
        expected = keys.index("预期目标")
        actual = next((i for i, key in enumerate(keys) if key.startswith("实际完成")), expected + 1)
        self.goal_columns = (expected, actual)

    def _read_goal_row(self, cells: list[str]) -> None:
        """Each fragment goes to the goal column it sits nearest to; of several, the first is the
        expected and the last the actual text (the grid shifts after a page break)."""
        expected_at, actual_at = self.goal_columns
        fragments = [(i, cell) for i, cell in enumerate(cells) if cell and not _is_goal_label(cell)]
        last = len(fragments) - 1
        for n, (index, cell) in enumerate(fragments):
            if last and n in (0, last):
                to_actual = n == last
            else:
                to_actual = abs(index - actual_at) < abs(index - expected_at)
            (self.goal_actual if to_actual else self.goal_expected).append(cell)

    def _read_indicator_header(self, cells: list[str], index: int) -> None:
        layout = _indicator_header(tuple(map(_key, cells)))
        positions = dict(layout)
        missing = [_ROLE_LABELS[role] for role in _LEFT_ROLES + _RIGHT_ROLES[:4] if role not in positions]
        if not missing and positions["score"] <= positions["weight"]:
            missing = ["得分（在分值右侧）"]
        if self.columns is not None:
            # Repeated after a page break: its grid replaces the one before, if it is whole.
            self.warnings.append(f"第 {index + 1} 行：分页后重复的指标表头，已跳过。")
            if not missing:
                self.columns = _columns(layout)
            return
        if missing:
            raise _Problem(f"第 {index + 1} 行：绩效指标表头缺少“{'”“'.join(missing)}”列。")
        self.has_deviation = "deviation" in positions
        self.columns = _columns(layout)

    def _collect_indicator_row(self, cells: list[str], index: int, page: int) -> None:
        pair = _numeric_pair(cells, self.columns.score_offset)
        if pair is None:
            # Its grid is known once a row of its page has numbers: read it then.
            self.pending.append((index, page, cells, self.columns))
            return
        anchor, distance, weight, score = pair
        shift = anchor - self.columns.weight
        self.page_shifts.setdefault(page, shift)
        if self.pending:
            self._join_pending()
        draft = _Draft(index, weight, score)
        self._add_fragments(draft, index, cells, self.columns.roles(shift, len(cells), distance))
        self.drafts.append(draft)

    def _read_total(self, cells: list[str], index: int, page: int) -> None:
        numbers = [number for number in map(_number, cells) if number is not None]
        if not numbers:
            raise _Problem(f"第 {index + 1} 行：总分行没有得分。")
        self.total = numbers[-1]
        pair = _numeric_pair(cells, self.columns.score_offset) if self.columns else None
        if pair is not None:
            self.page_shifts.setdefault(page, pair[0] - self.columns.weight)
        self._join_pending()

    def _read_grade(self, cells: list[str], index: int) -> None:
        keys = list(map(_key, cells))
        text = next((key for key in keys[keys.index("评分等级") + 1:] if key), "")
        if not text or text[0] not in GRADES:
            raise _Problem(f"第 {index + 1} 行：评分等级“{text}”不是优、良、中、差之一。")
        self.grade = text[0]

    # Putting the form together.

    def _finish(self) -> ParsedForm:
        self._check_complete()
        self._join_pending()
        indicators = self._carry_labels_down()
        if not indicators:
            raise _Problem("绩效指标表中没有任何指标。")
        if self.goal_columns is None:
            self.warnings.append("未找到年度总体目标（预期目标、实际完成情况），目标文字留空。")
        trailing = _content_range(self.lines, self.end + 1, self.stop)
        if trailing:
            self.warnings.append(f"第 {trailing[0] + 1}–{trailing[1] + 1} 行在评分等级之后，已忽略。")
        figures = FormFigures(
            funding=[self.funding[kind] for kind in _FUNDING_KINDS.values()],
            indicators=indicators,
            declared_total=self.total,
            declared_grade=self.grade,
        )
        return ParsedForm(
            file=self.file,
            lines=(self.title + 1, self.end + 1),
            year=self.year,
            project_name=self.project_name,
            department=self.department,
            unit=self.unit,
            goal_expected=_paragraphs(self.goal_expected),
            goal_actual=_paragraphs(self.goal_actual),
            figures=figures,
            has_deviation_column=self.has_deviation,
            warnings=self.warnings,
        )

    def _check_complete(self) -> None:
        if self.end is None:
            last = _content_range(self.lines, self.title, self.stop)
            missing = "评分等级" if self.total is not None else "总分和评分等级"
            raise _Problem(f"表格在第 {(last[1] if last else self.title) + 1} 行结束，缺少{missing}（表格不完整）。")
        if self.total is None:
            raise _Problem(f"第 {self.end + 1} 行的评分等级之前缺少总分行。")
        if self.year is None:
            raise _Problem("标题下缺少年度，如“(2023 年度)”。")
        if not self.project_name:
            raise _Problem("缺少项目名称。")
        missing = [label for label, kind in _FUNDING_KINDS.items() if kind not in self.funding]
        if missing:
            raise _Problem(f"项目资金缺少“{'”“'.join(missing)}”行。")
        if self.columns is None:
            raise _Problem("缺少绩效指标表头（一级指标、二级指标、三级指标、年度指标值、实际完成值、分值、得分）。")

    def _join_pending(self) -> None:
        """A row without 分值 and 得分 continues the cells of the row above it (a page break split
        that row); its cells are placed on the grid of the page it is on."""
        for index, page, cells, columns in self.pending:
            shift = self.page_shifts.get(page, 0)
            for role, cell in zip(columns.roles(shift, len(cells)), cells):
                if cell and role in ("weight", "score") and _number(cell) is None:
                    raise _Problem(f"第 {index + 1} 行：{_ROLE_LABELS[role]}“{cell}”不是数字。")
            if not self.drafts:
                self.warnings.append(f"第 {index + 1} 行：指标表头后的第一行没有分值和得分，无法归属，已忽略。")
                continue
            self._add_fragments(self.drafts[-1], index, cells, columns.roles(shift, len(cells)))
            self.warnings.append(f"第 {index + 1} 行没有分值和得分，已作为第 {self.drafts[-1].line + 1} 行指标的续行合并（分页断行）。")
        self.pending.clear()

    def _add_fragments(self, draft: _Draft, index: int, cells: list[str], roles: tuple[str | None, ...]) -> None:
        parts = draft.parts
        for role, cell in zip(roles, cells):
            if not cell or role == "weight" or role == "score":
                continue
            if role is None:
                self.warnings.append(f"第 {index + 1} 行：得分右侧的“{cell}”不属于任何列，已忽略。")
            elif role in parts:
                # Labels are joined without a space (`满意 度指 标`), other texts with one.
                parts[role] += (cell if role in _LABEL_ROLES else " " + cell)
            else:
                parts[role] = cell

    def _carry_labels_down(self) -> list[IndicatorFigures]:
        """Merged 一级/二级 cells print their label once: empty ones take the label above."""
        indicators: list[IndicatorFigures] = []
        level1 = level2 = ""
        for draft in self.drafts:
            parts = draft.parts
            if "level1" in parts or "level2" in parts:
                own1, own2 = _label(parts.get("level1", "")), _label(parts.get("level2", ""))
                if own2 or (own1 and own1 != level1):
                    level2 = own2
                level1 = own1 or level1
            name = _line(parts.get("name", ""))
            if not (level1 and level2 and name):
                missing = "一级指标" if not level1 else "二级指标" if not level2 else "三级指标名称"
                raise _Problem(f"第 {draft.line + 1} 行：指标缺少{missing}。")
            deviation = _line(parts.get("deviation", "")) if self.has_deviation else ""
            target, actual = _value(parts.get("target", "")), _value(parts.get("actual", ""))
            indicators.append(IndicatorFigures(level1, level2, name, target, actual, draft.weight, draft.score, deviation))
        return indicators


def _row_key(cells: list[str]) -> str:
    """The row's label: its first filled cell, as a label."""
    return _key(next(cell for cell in cells if cell))


def _cells_at(cells: list[str], positions: Iterable[int]) -> list[str]:
    """The cells at these positions; "" for a position outside the row."""
    width = len(cells)
    return [cells[position] if 0 <= position < width else "" for position in positions]


@lru_cache(maxsize=4096)
def _amount(value: str) -> Decimal | None:
    """The number of a funding cell, where a rate may carry its % sign."""
    return _number(value.rstrip("%％"))


def _is_goal_label(cell: str) -> bool:
    """`年度 总体 目标` is printed down the rows of the goal block; its pieces are not goal text."""
    if cell[0] not in _GOAL_LABEL:  # spares despacing a long goal text
        return False
    key = _despace(cell)
    return len(key) >= 2 and key in _GOAL_LABEL
