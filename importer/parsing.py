"""The form reader: rows of cells (importer.grid) in, 财政项目支出绩效自评表 figures out.

The reader knows nothing of where the rows came from: a text dump, space-aligned text, a PDF's
tables. Rows and cells may be split at page breaks and the columns shift between forms and pages;
the words of other templates are looked up in importer.vocabulary. Each form is read on its own:
one that cannot be read becomes a FormError with its place, and the next form is read as usual.
Every repair is a note on its form. Plain Python, no Django.
"""

from __future__ import annotations

import codecs
import gc
import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from evaluations.scoring import (
    CENT, GRADES, LEVELS, FormFigures, FundingFigures, IndicatorFigures, normalize_notation,
)
from importer import vocabulary
from importer.grid import (
    Grid, ParseError, dump_grid, layout_grid, tab_grid, tab_stops, tables_after_text, text_kind, untabbed, wrapped_rows,
)
from importer.vocabulary import label_key

__all__ = ["INTERNAL_ERROR", "FormError", "ParseError", "ParsedForm", "decode", "parse_bytes", "parse_text", "read_grid"]


@dataclass
class ParsedForm:
    file: str
    lines: tuple[int, int] | None  # 1-based first and last line of the form in a text; None for a PDF
    year: int
    project_name: str
    department: str
    unit: str
    goal_expected: str
    goal_actual: str
    figures: FormFigures
    has_deviation_column: bool
    notes: list[dict] = field(default_factory=list)  # {"place": "第 12 行", "message": …}: every repair
    pages: tuple[int, int] | None = None  # first and last page of the form in a PDF
    amount_unit: str = "万元"  # as printed; the figures are always 万元
    profile: str = "shanghai-municipal"  # the template family (importer.vocabulary.PROFILES)

    @property
    def warnings(self) -> list[str]:
        """The notes as one line each."""
        return [f"{note['place']}：{note['message']}" if note["place"] else note["message"] for note in self.notes]


@dataclass
class FormError:
    file: str
    lines: tuple[int, int] | None
    project_name: str  # "" if not known
    message: str
    pages: tuple[int, int] | None = None


# How the message of a FormError starts when reading the form hit a bug rather than a broken form.
INTERNAL_ERROR = "读取此表时程序出错"


# --- Bytes to text -----------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = bytes([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x20), 0x7f])


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 (BOM or not) or GB18030 bytes → text with ``\\n`` line ends."""
    text = _decode(data)
    # A stray control character can sit in a real dump; many of them mean a binary file.
    if _control_characters(text) > max(2, len(text) // 100):
        raise ParseError("文件含有大量控制字符，不是文本文件。")
    return _normalize_line_ends(text)


def _control_characters(text: str) -> int:
    """How many control characters the text holds: they are ASCII, so they are counted among its ASCII
    characters, in two C loops (a regular expression's search costs several times as much a character)."""
    ascii_part = text.encode("ascii", "ignore")
    return len(ascii_part) - len(ascii_part.translate(None, _CONTROL))


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
    """Tags removed, then HTML entities decoded (as a browser reads them: `&lt;b&gt;` is the text `<b>`);
    <p>, <br> and other block tags become line breaks."""
    if "<" in text:
        # Dumps mostly hold paragraphs alone: where every tag is a plain <p> or </p>, two replaces do
        # what the expression does, without calling back into Python for each tag.
        paragraphs = text.replace("<p>", "\n").replace("</p>", "\n")
        text = paragraphs if "<" not in paragraphs else _TAG.sub(_tag_replacement, text)
    if "&" in text:
        text = html.unescape(text)
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
    joined = " ".join(fragments)
    if "\n" in joined:  # a line wrapped inside a cell (PDF), not a paragraph
        joined = joined.replace("\n", " ")
    paragraphs = map(_tidy, filter(None, _unmarkup(joined).split("\n")))  # a paragraph of spaces tidies to ""
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


# --- Splitting a grid into forms ---------------------------------------------

_TITLE = re.compile(r"项目支出绩效自评表")
_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年\s*度?\s*[)）]")
_TITLE_YEAR = re.compile(r"^\s*(\d{4})\s*年\s*度")
# A form's own blocks: text before the first title holding one of these is a form that lost its title
# (a summary table listing 项目名称 and 总分 is not).
_FORM_MARKERS = ("年度资金总额", "一级指标")
NO_FORM = "未找到自评表：文件中没有标题为“……项目支出绩效自评表”的表格。"
CELL_PER_LINE = ("这份文本每个单元格占一行（例如 pdftotext 不加 -layout 的输出），表格的行列已经丢失，无法可靠还原；"
                 "请直接上传 PDF 文件，或用 pdftotext -layout 导出文本。")
UNTABBED = ("文本中的制表符已被换成空格，已按制表位还原各列；单元格内恰好落在制表位上的空格可能被当作分列，"
            "请核对指标名称和指标值。")
LAID_OUT = ("此表读自按版面排列的文本（如 pdftotext -layout 的输出）：多行单元格按位置归行，数字可靠，"
            "但指标名称、指标值的分行归属可能有误；请核对，或直接上传 PDF 文件。")
LAID_OUT_ERROR = ("（此表读自按版面排列的文本，如 pdftotext -layout 的输出：竖排或折行的标签、合并单元格可能无法按位置还原，"
                  "请直接上传 PDF 文件。）")
SINGLE_SPACED = ("这份文本的单元格之间只隔一个空格（例如 pdfplumber 的 extract_text 输出），分不清哪些文字属于哪一列；"
                 "请直接上传 PDF 文件，或用 pdftotext -layout 导出文本。")
# What an UTF-8 file read as GB18030 (or Latin-1) looks like once re-encoded: words every form has.
_MOJIBAKE_MARKERS = ("自评表", "项目名称", "指标", "预算")


class _Problem(Exception):
    """A form that cannot be read; the message says why, for the user."""


def parse_bytes(data: bytes, file: str = "") -> tuple[list[ParsedForm], list[FormError]]:
    """Like parse_text; raises ParseError when the bytes are not text (see decode)."""
    return parse_text(decode(data), file)


@contextmanager
def _without_cycle_collection():
    """Reading a big file makes millions of small lists, strings and records and no reference cycles:
    the cycle collector would only walk them again and again as they pile up (7 % of the instructions
    of a 5,000-form dump). It is paused while reading and resumed after, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_text(text: str, file: str = "", reader=None) -> tuple[list[ParsedForm], list[FormError]]:
    """The forms of a text, whatever extractor wrote it, and one error for each form that cannot
    be read. Never raises. `reader` reads the text's grid (read_grid unless given: the target tables'
    reader, importer.target_reader, reads the same grids)."""
    text = _normalize_line_ends(text.lstrip("\ufeff"))
    with _without_cycle_collection():
        return _read_text(text, file, reader)


def _read_text(text: str, file: str, reader) -> tuple[list[ParsedForm], list[FormError]]:
    """parse_text's reading, in a call of its own: the grid is gone when it returns, so the cycle
    collector, resumed, walks only the forms read, not the grid's rows too."""
    grid = dump_grid(text)
    if grid is not None:
        return (reader or read_grid)(grid, file)
    return parse_any_text(text, file, reader)


def parse_any_text(text: str, file: str = "", reader=None) -> tuple[list[ParsedForm], list[FormError]]:
    """parse_text without its shorter way for plain dumps (dump_grid): every layout is told apart
    by text_kind. `text` has `\n` line ends; `reader` as for parse_text."""
    read = reader or read_grid
    lines = text.split("\n")
    kind = text_kind(lines)
    if kind in ("cell_per_line", "single_spaced"):
        return [], [FormError(file, (1, len(lines)), "", CELL_PER_LINE if kind == "cell_per_line" else SINGLE_SPACED)]
    if kind == "spaced":
        stops = tab_stops(lines)
        if stops is None:
            forms, errors = read(layout_grid(lines), file)
            for form in forms:
                form.notes.append({"place": "", "message": LAID_OUT})
            for error in errors:
                error.message += LAID_OUT_ERROR
            return forms, errors
        forms, errors = read(tab_grid(untabbed(lines, stops)), file)
        if stops[0] != "runs":
            for form in forms:
                form.notes.append({"place": "", "message": UNTABBED})
        return forms, errors
    both = tables_after_text(lines)
    if both is None:
        return read(tab_grid(lines), file)
    # pdfplumber's text and tables: the tables' rows (a wrapped cell keeps its line break inside).
    lines, numbers = both
    wrapped = wrapped_rows(lines)
    if wrapped is not None:
        lines, joined = wrapped
        numbers = [numbers[n - 1] for n in joined]
    return read(tab_grid(lines, numbers), file)


def read_grid(grid: Grid, file: str = "") -> tuple[list[ParsedForm], list[FormError]]:
    """The forms of a grid (any source). Never raises."""
    rows = grid.rows
    titles = list(_titles(rows))
    forms: list[ParsedForm] = []
    errors: list[FormError] = []
    preamble = _content_range(rows, 0, titles[0] if titles else len(rows))
    notes: list[dict] = []
    if preamble:
        if _is_mojibake(rows, *preamble):
            errors.append(_range_error(grid, file, preamble, _MOJIBAKE))
        elif not titles:
            tables = sum(1 for cells in rows if cells and _key(cells[0]) == "项目名称")
            message = NO_FORM
            if tables:
                message += (f"有 {tables} 份表格的内容，但没有标题和年度（例如只导出了 PDF 中的表格）；"
                            "请直接上传 PDF 文件，或连同表格外的文字一起导出。")
            elif _has_form_content(rows, *preamble):
                message += "有表格的内容，但缺少标题。"
            errors.append(_range_error(grid, file, preamble, message))
        elif _has_form_content(rows, *preamble):
            message = "这部分内容不在任何表格内：缺少标题“财政项目支出绩效自评表”。"
            errors.append(_range_error(grid, file, preamble, message))
        else:
            notes.append(_note(grid, preamble, "不属于任何自评表（标题之前的文字），已跳过。"))
    elif not titles:
        errors.append(FormError(file, (1, 1) if grid.lines is not None else None, "", NO_FORM + "（文件是空的）"))
    for title, stop in zip(titles, titles[1:] + [len(rows)]):
        reader = _FormReader(grid, title, stop, file)
        try:
            form = reader.read()
        except _Problem as problem:
            errors.append(reader.error(str(problem)))
        except Exception as exc:  # noqa: BLE001 - one unreadable form must not stop the others
            errors.append(reader.error(f"{INTERNAL_ERROR}（{type(exc).__name__}），请检查此表的格式。"))
        else:
            form.notes[:0] = notes
            forms.append(form)
            if reader.garbled is not None:
                errors.append(_range_error(grid, file, reader.garbled, _MOJIBAKE))
        notes = []
    return forms, errors


_MOJIBAKE = "这部分文字是乱码（文件中混有另一种编码的文本），无法读取；请把文件统一另存为 UTF-8 编码后重新导入。"


def holds_no_form(grid: Grid) -> bool:
    """Whether a grid has neither a form's title nor any of a form's content (a workbook's notes
    sheet, an empty sheet): a source made of many such parts passes over it."""
    rows = grid.rows
    if next(_titles(rows), None) is not None:
        return False
    span = _content_range(rows, 0, len(rows))
    return span is None or not (_has_form_content(rows, *span) or any(
        _key(cell) in ("项目名称", "评分等级") for cells in rows for cell in cells))


def _titles(rows: list[list[str]]) -> Iterable[int]:
    """The rows that are a form's title. A title is a row of one cell: those are found by C loops
    (list.index) that pass over the many rows of several cells."""
    widths = list(map(len, rows))
    at = -1
    try:
        while True:
            at = widths.index(1, at + 1)
            if "自评表" in rows[at][0] and _is_title(rows[at][0]):
                yield at
    except ValueError:  # no more rows of one cell
        return


def _is_title(text: str) -> bool:
    text = _despace(text)
    return len(text) <= 40 and _TITLE.search(text) is not None


def _content_range(rows: list[list[str]], start: int, stop: int) -> tuple[int, int] | None:
    filled = [i for i in range(start, stop) if any(rows[i])]
    return (filled[0], filled[-1]) if filled else None


def _has_form_content(rows: list[list[str]], first: int, last: int) -> bool:
    return any(marker in _despace(cell) for i in range(first, last + 1) for cell in rows[i] for marker in _FORM_MARKERS)


def _is_mojibake(rows: list[list[str]], first: int, last: int) -> bool:
    text = "\n".join(cell for i in range(first, last + 1) for cell in rows[i] if cell)
    if text.count("\ufffd") >= 3:
        return True
    # Undo the wrong decoding; a character lost on the way (a no-break space stripped) costs only itself.
    for wrong in ("gb18030", "cp1252", "latin-1"):
        fixed = text.encode(wrong, errors="ignore").decode("utf-8", errors="ignore")
        if any(marker in fixed for marker in _MOJIBAKE_MARKERS):
            return True
    return False


def _range_error(grid: Grid, file: str, span: tuple[int, int], message: str) -> FormError:
    lines, pages = grid.span(*span)
    return FormError(file, lines, "", message, pages)


def _note(grid: Grid, span: tuple[int, int], message: str) -> dict:
    first, last = span
    place = grid.place(first) if grid.place(first) == grid.place(last) else f"{grid.place(first)}至{grid.place(last)}"
    return {"place": place, "message": message}


# --- The parts of a form -----------------------------------------------------

# Header rows are read once per layout (cached): forms laid out alike have the same header keys.
@lru_cache(maxsize=64)
def _funding_header(keys: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]] | None:
    """Where the funding header puts each field, and the labels it does not know; None if the row
    is no funding header (it must name at least an amount and the executed amount)."""
    found: dict[str, int] = {}
    unknown = []
    for index, key in enumerate(keys):
        field_name = vocabulary.FUNDING_COLUMNS.get(label_key(key)) if key else None
        if field_name is None:
            if key and index and not _is_block_label(key):
                unknown.append(key)
        elif field_name != "ignored":
            found.setdefault(field_name, index)
    if "executed" not in found or not {"budget_initial", "budget_full_year"} & found.keys():
        return None
    return tuple(found.items()), tuple(unknown)


@lru_cache(maxsize=1024)
def _head_label(text: str) -> str | None:
    """project_name / department / unit, for the label of a name row: a cell or its key alike
    (label_key takes out the spaces and colons that _key does)."""
    return vocabulary.HEAD_LABELS.get(label_key(text)) if text else None


@lru_cache(maxsize=4096)
def _head_meaning(key: str) -> str | None:
    """What a head row whose first label is `key` holds, where the label alone says: "names" or
    "funding_row"; None for anything else."""
    if _head_label(key):
        return "names"
    if _funding_label(key)[0]:
        return "funding_row"
    return None


@lru_cache(maxsize=64)
def _funding_block(label: str) -> tuple[Decimal | None, str]:
    """What the funding block's label says (cached: forms alike print it alike): the points of the
    block (`(20分)`), and the unit of its amounts, 元 where it says `(元)`, else 万元."""
    units = re.findall(r"[(（]([^()（）]*元)[)）]", label)
    return vocabulary.points(label), "元" if units and units[0] == "元" else "万元"


def _is_block_label(key: str) -> bool:
    return label_key(key).startswith(vocabulary.FUNDING_BLOCKS)


@lru_cache(maxsize=256)
def _funding_label(key: str) -> tuple[bool, str | None, str]:
    """(is a funding row label, its kind, the label as printed less 其中 and colons)."""
    bare = label_key(key)
    if bare in vocabulary.FUNDING_ROWS:
        return True, vocabulary.FUNDING_ROWS[bare], _funding_row_label(key)
    return False, None, ""


_LEFT_ROLES = ("level1", "level2", "name")
_LABEL_ROLES = ("level1", "level2")
_RIGHT_ROLES = ("operator", "target", "unit", "actual", "weight", "score", "deviation")
_REQUIRED_ROLES = ("level1", "level2", "name", "target", "actual", "weight", "score")
_ROLE_LABELS = vocabulary.ROLE_LABELS
_GOAL_LABEL = vocabulary.GOAL_LABEL
# The first characters of the labels that steer the reading: 评分等级, 总分, 合计, 一级指标, 绩效指标 ….
_STEERING_STARTS = frozenset(
    label[0] for label in (*vocabulary.GRADE_LABELS, *vocabulary.TOTAL_LABELS, "一级指标", *vocabulary.INDICATOR_BLOCKS)
)
_KNOWN_LEVELS = vocabulary.KNOWN_LEVELS
# The texts an indicator gathers from its cells (all but 分值 and 得分), each in a slot of a list: reading
# a list by position costs far less than a mapping's get.
_TEXT_ROLES = ("level1", "level2", "name", "operator", "target", "unit", "actual", "deviation")
_SLOTS = {role: slot for slot, role in enumerate(_TEXT_ROLES)}


@lru_cache(maxsize=64)
def _indicator_header(cells: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """The position of each role an indicator header names (the first cell naming it), and the
    labels it does not know."""
    positions: dict[str, int] = {}
    unknown = []
    for position, cell in enumerate(cells):
        key = _key(cell)
        role = indicator_role(key) if key else None
        if role is None and "\n" in cell:
            # Text overflowing from the cell above (a PDF): the header's own label is its last line.
            role = indicator_role(_key(cell.rsplit("\n", 1)[1]))
        if role is None:
            if key and not label_key(key).startswith(vocabulary.INDICATOR_BLOCKS):
                unknown.append(key)
        elif role == "ignored":
            unknown.append(key)
        elif role not in positions:
            positions[role] = position
    return tuple(positions.items()), tuple(unknown)


def indicator_role(label: str) -> str | None:
    """Which indicator column a header label names (the text dumps and the workbooks share the labels)."""
    return vocabulary.indicator_role(label)


class _Columns:
    """Where an indicator header puts each role: the columns the rows are read against."""

    def __init__(self, positions: dict[str, int]):
        self.positions = positions
        self.weight = positions["weight"]
        self.score_offset = positions["score"] - positions["weight"]

    def role_table(self, shift: int, width: int, score_offset: int) -> tuple[str | None, ...]:
        """The role of each cell of a row whose 分值 sits `shift` cells off the header's, and its
        得分 `score_offset` cells right of its 分值.

        The 一级/二级/三级 columns keep their header places (rows start at the left edge); the
        others move with the numbers. A cell belongs to the nearest column on its left, as a
        merged cell starts at its leftmost column; only 分值 and 得分 are always one cell wide.
        """
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


# (position, role, slot in _TEXT_ROLES) of each cell of a row whose text goes to its indicator.
_TextCells = tuple[tuple[int, str | None, int | None], ...]


def _text_cells(roles: tuple[str | None, ...]) -> _TextCells:
    """The cells whose text goes to the row's indicator: all but 分值 and 得分."""
    return tuple((at, role, _SLOTS.get(role)) for at, role in enumerate(roles) if role != "weight" and role != "score")


def _slot_getter(text_cells: _TextCells, width: int) -> Callable[[tuple[str, ...]], tuple[str, ...]] | None:
    """Where each text cell of a row fills a slot of its own (none shares one, none lies outside the
    columns): the getter of the row's texts by slot, from its cells with an empty one after them for
    the slots no cell fills. A new indicator takes its texts so in one C call, not cell by cell."""
    slots = [slot for _, _, slot in text_cells]
    if None in slots or len(set(slots)) < len(slots):
        return None
    positions = {slot: at for at, _, slot in text_cells}
    return itemgetter(*(positions.get(slot, width) for slot in range(len(_TEXT_ROLES))))


# A row layout: the role of each cell, its text cells and their getter by slot.
_Layout = tuple[tuple[str | None, ...], _TextCells, Callable[[tuple[str, ...]], tuple[str, ...]] | None]


@lru_cache(maxsize=256)
def _layout(columns: _Columns, shift: int, width: int, score_offset: int) -> _Layout:
    """A row's layout against the header's columns (_Columns.role_table), its text cells (_text_cells)
    and their getter by slot (_slot_getter); cached, as the rows of a form and forms alike share them."""
    roles = columns.role_table(shift, width, score_offset)
    text_cells = _text_cells(roles)
    return roles, text_cells, _slot_getter(text_cells, width)


@lru_cache(maxsize=64)
def _columns(positions: tuple[tuple[str, int], ...]) -> _Columns:
    """One _Columns per header layout, so that its row layouts (_layout) serve every form laid out alike."""
    return _Columns(dict(positions))


def _numeric_pair(cells: list[str], offset: int) -> tuple[int, int, Decimal, Decimal] | None:
    """分值 and 得分: the rightmost two number cells `offset` apart as in the header, or else side
    by side. Where the 分值 is, how far the 得分, and the two numbers."""
    for distance in (offset, 1) if offset != 1 else (1,):
        for index in range(len(cells) - 1 - distance, -1, -1):
            right = cells[index + distance]
            right = _number(right) if right else None  # no call for the many empty cells
            if right is not None:
                left = _number(cells[index])
                if left is not None:
                    return index, distance, left, right
    return None


# One indicator while its rows are being joined: (its first row, 分值, 得分, the text of each role so far,
# by _TEXT_ROLES' slots, "" where none). A plain tuple: a class instance per row costs a call of its __init__.
_Draft = tuple[int, Decimal, Decimal | None, list[str]]

_TEN_THOUSAND = Decimal("10000")


# --- One form ---------------------------------------------------------------


class _FormReader:
    """Reads one form: the rows from its title up to the next title."""

    def __init__(self, grid: Grid, title: int, stop: int, file: str):
        self.grid, self.rows, self.title, self.stop, self.file = grid, grid.rows, title, stop, file
        self.end: int | None = None  # the last row of the form
        self.grade_row: int | None = None
        self.total_row: int | None = None
        self.year: int | None = None
        self.project_name = self.department = self.unit = ""
        self.funding_columns: dict[str, int] | None = None
        self.funding_points: Decimal | None = None  # `(20分)` on the funding block's label
        self.amount_unit = "万元"
        self.funding: list[FundingFigures] = []
        self.funding_kinds: set[str | None] = set()  # the kinds of self.funding's rows
        self.goal_columns: tuple[int, int] | None = None
        self.goal_expected: list[str] = []
        self.goal_actual: list[str] = []
        self.columns: _Columns | None = None
        self.has_deviation = False
        self.drafts: list[_Draft] = []
        self.pending: list[tuple[int, int, list[str], _Columns]] = []  # rows without numbers
        self.floating: list[tuple[int, str, str]] = []  # (drafts before it, role, label) of labels outside rows
        self.page_shifts: dict[int, int] = {}
        self.total: Decimal | None = None
        self.grade = ""
        self.notes: list[dict] = []
        self.garbled: tuple[int, int] | None = None  # rows after the form that are mojibake

    def note(self, index: int | None, message: str) -> None:
        self.notes.append({"place": self.grid.place(index) if index is not None else "", "message": message})

    def error(self, message: str) -> FormError:
        last = _content_range(self.rows, self.title, self.stop)
        lines, pages = self.grid.span(self.title, last[1] if last else self.title)
        return FormError(self.file, lines, self.project_name, message, pages)

    # Reading, row by row.

    def read(self) -> ParsedForm:
        rows = self.rows
        self._read_year(rows[self.title][0])
        if self.year is None and (match := _TITLE_YEAR.search(rows[self.title][0])):
            self.year = int(match.group(1))  # `2023年度项目支出绩效自评表`
        page = 0
        for index in range(self.title + 1, self.stop):
            cells = rows[index]
            first = cells[0]
            if not first:  # the first filled cell: a loop over the usual one or two empty cells costs less than filter
                for first in cells:
                    if first:
                        break
            if not first:
                page += 1
                continue
            if len(cells) == 1 and vocabulary.PAGE_NUMBER.match(first):
                continue  # page furniture (`-1-`, `第 1 页`)
            if first[0] in _STEERING_STARTS:
                key = _key(first)
                if key in vocabulary.GRADE_LABELS or label_key(key) in vocabulary.GRADE_LABELS:
                    self._read_grade(cells, index)
                    self.end = self.grade_row = index
                    break
                if self.columns is not None and label_key(key) in vocabulary.TOTAL_LABELS:
                    # Some forms print 评分等级 on the 总分 row, after the total.
                    grade_at = next((at for at in range(1, len(cells)) if cells[at] and _key(cells[at]) in vocabulary.GRADE_LABELS), None)
                    self._read_total(cells[:grade_at], index, page)
                    if grade_at is not None:
                        self._read_grade(cells[grade_at:], index)
                        self.end = self.grade_row = index
                        break
                    continue
                if key.startswith("一级指标") or (key.startswith(vocabulary.INDICATOR_BLOCKS) and "一级指标" in map(_key, cells)):
                    self._read_indicator_header(cells, index)
                    continue
            if self.total_row is not None:
                self._read_closing_row(cells, index)
            elif self.columns is not None:
                self._collect_indicator_row(cells, index, page)
            elif self.goal_columns is not None:
                self._read_goal_row(cells)
            else:
                self._read_head_row(cells, index)
        return self._finish()

    def _read_year(self, text: str) -> None:
        match = _YEAR.search(text)
        if match and self.year is None:
            self.year = int(match.group(1))

    def _read_head_row(self, cells: list[str], index: int) -> None:
        if not self.project_name and self.year is None and self._read_year_row(cells):
            return
        # The row's first label mostly says what it is (cached per label): names, funding, goals.
        # Then no other cell needs reading as a label but the names' (a names row has two).
        label_at, first_label = _first_key(cells)
        meaning = _head_meaning(first_label)
        if meaning == "names":
            self._read_names(cells, list(map(_head_label, cells)), index)
            return
        if meaning == "funding_row":
            _, kind, label = _funding_label(first_label)
            self._read_funding_figures(cells, label_at, kind, label, index)
            return
        keys = list(map(_key, cells))
        filled = list(filter(None, keys))
        if self.funding_columns is None and len(filled) >= 3:
            header = _funding_header(tuple(keys))
            if header is not None:
                self._read_funding_header(keys, header, index)
                return
        if self._read_funding_row(cells, keys, index):
            return
        labels = list(map(_head_label, keys))
        if any(labels):
            self._read_names(cells, labels, index)
        elif "预期目标" in keys and any(key.startswith("实际完成") for key in keys):
            self._read_goal_header(keys)
        elif keys and label_key(filled[0]) in vocabulary.GOAL_ROWS:
            self._read_goal_text(cells, keys, index)
        elif len(filled) == 1 and vocabulary.PAGE_NUMBER.match(filled[0]):
            pass  # page furniture
        else:
            self.note(index, f"未识别的行“{_line(' '.join(c for c in cells if c))[:40]}”，已跳过。")

    def _read_year_row(self, cells: list[str]) -> bool:
        """A row of at most two labels above the names may be the year (`(2023 年度)`)."""
        if sum(1 for key in map(_key, cells) if key) > 2:
            return False
        text = " ".join(filter(None, cells))
        if _YEAR.search(text):
            self._read_year(text)
            return True
        return False

    def _read_names(self, cells: list[str], labels: list[str | None], index: int) -> None:
        """项目名称 / 主管部门 / 实施单位: each label's text is the first filled cell after it."""
        starts = list(compress(range(len(labels)), labels))  # where the labels are
        for at, stop in zip(starts, starts[1:] + [len(cells)]):
            name = labels[at]
            text = _text(list(filter(None, cells[at + 1:stop])))
            bare = vocabulary.CODE_PREFIX.sub("", text)
            if bare != text:
                self.note(index, f"{_ROLE_NAMES[name]}“{text}”前的编码已去掉。")
            setattr(self, name, bare)

    def _read_funding_header(self, keys: list[str], header, index: int) -> None:
        columns, unknown = header
        self.funding_columns = dict(columns)
        block = next((key for key in keys if key), "")
        if _is_block_label(block):
            self.funding_points, self.amount_unit = _funding_block(block)
        for label in unknown:
            self.note(index, f"资金表头“{label}”不认识，此列未读取。")

    def _read_funding_row(self, cells: list[str], keys: list[str], index: int) -> bool:
        for label_at, key in enumerate(keys):
            if not key:
                continue
            is_label, kind, label = _funding_label(key)
            if is_label:
                break
        else:
            # A template with no funding sub-rows prints the total's figures under the header unlabelled.
            if self.funding_columns is None or self.funding or not any(map(_amount, cells)):
                return False
            label_at, kind, label = -1, "total", ""
        self._read_funding_figures(cells, label_at, kind, label, index)
        return True

    def _read_funding_figures(self, cells: list[str], label_at: int, kind: str | None, label: str, index: int) -> None:
        """The figures of a funding row whose label (`label_at` < 0: none) says its kind."""
        if kind is not None and kind in self.funding_kinds:
            self.note(index, f"重复的“{label}”行，已忽略。")
            return
        values, numbers, unreadable = self._funding_values(cells, label_at)
        if unreadable:
            raise _Problem(f"{self.grid.place(index)}（{label or '资金'}）：{vocabulary.FUNDING_FIELD_LABELS[unreadable]}“{values[unreadable]}”不是数字。")
        budget_initial, budget_full_year, executed, weight, rate, score = map(numbers.get, vocabulary.FUNDING_FIELDS)
        if self.amount_unit == "元":
            budget_initial, budget_full_year, executed = map(_from_yuan, (budget_initial, budget_full_year, executed))
        if kind == "total" and weight is None and "weight" not in values:
            weight = self.funding_points  # the block's label says what it is worth
        if kind != "total":
            weight = score = None
        self.funding.append(FundingFigures(kind, budget_initial, budget_full_year, executed, weight, rate, score, label))
        self.funding_kinds.add(kind)

    def _funding_values(self, cells: list[str], label_at: int) -> tuple[dict[str, str], dict[str, Decimal | None], str | None]:
        """The row's value cells by field, their numbers and the first field that holds none (_amounts):
        under the header's labels, or else, where the header's cells do not hold numbers, as many cells
        right after the row's own label."""
        columns = self.funding_columns
        if columns is None:
            fields = vocabulary.FUNDING_FIELDS
            return _amounts(fields, _cells_at(cells, range(label_at + 1, label_at + 1 + len(fields))))
        under_header = _amounts(columns, _cells_at(cells, columns.values()))
        if label_at < 0 or not under_header[2]:
            return under_header
        first = min(columns.values())
        return _amounts(columns, _cells_at(cells, [label_at + 1 + pos - first for pos in columns.values()]))

    def _read_goal_header(self, keys: list[str]) -> None:
        expected = keys.index("预期目标")
        actual = next((i for i, key in enumerate(keys) if key.startswith("实际完成")), expected + 1)
        self.goal_columns = (expected, actual)

    def _read_goal_text(self, cells: list[str], keys: list[str], index: int) -> None:
        """A template that prints each goal as a labelled row (年度目标 / 完成情况)."""
        label_at = next(i for i, key in enumerate(keys) if key)
        text = _text([cell for cell in cells[label_at + 1:] if cell])
        if vocabulary.PLACEHOLDER.match(_despace(text)):
            self.note(index, f"“{keys[label_at]}”一栏只有填写说明“{text}”，按未填写处理。")
            return
        side = vocabulary.GOAL_ROWS[label_key(keys[label_at])]
        (self.goal_expected if side == "expected" else self.goal_actual).append(text)

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
        layout, unknown = _indicator_header(tuple(cells))
        positions = dict(layout)
        missing = [_ROLE_LABELS[role] for role in _REQUIRED_ROLES if role not in positions]
        if not missing and positions["score"] <= positions["weight"]:
            missing = ["得分（在分值右侧）"]
        if self.columns is not None:
            # Repeated after a page break: its grid replaces the one before, if it is whole.
            self.note(index, "分页后重复的指标表头，已跳过。")
            if not missing:
                self.columns = _columns(layout)
            return
        if missing:
            raise _Problem(f"{self.grid.place(index)}：绩效指标表头缺少“{'”“'.join(missing)}”列。")
        for label in unknown:
            self.note(index, f"指标表头“{label}”不是要读取的列，已跳过此列。")
        self.has_deviation = "deviation" in positions
        self.columns = _columns(layout)

    def _collect_indicator_row(self, cells: list[str], index: int, page: int) -> None:
        if len(cells) == 1 and _level(cells[0]) in _KNOWN_LEVELS:
            # A merged 一级/二级 cell whose label a PDF prints apart from its rows (centred on a span
            # that crosses a page): it labels the rows around it that have no label of their own.
            role = "level1" if _level(cells[0]) in LEVELS else "level2"
            self.floating.append((len(self.drafts) + len(self.pending), role, cells[0]))
            self.note(index, f"表格外的“{_level(cells[0])}”作为其所在合并单元格的{_ROLE_LABELS[role]}。")
            return
        pair = _numeric_pair(cells, self.columns.score_offset) or self._weight_alone(cells, page)
        if pair is None:
            # Its grid is known once a row of its page has numbers: read it then.
            self.pending.append((index, page, cells, self.columns))
            return
        anchor, distance, weight, score = pair
        shift = anchor - self.columns.weight
        self.page_shifts.setdefault(page, shift)
        if self.pending:
            self._join_pending()
        _, text_cells, take_texts = _layout(self.columns, shift, len(cells), distance)
        if take_texts is not None:
            parts = list(take_texts((*cells, "")))
        else:
            parts = [""] * len(_TEXT_ROLES)
            self._add_fragments(parts, index, cells, text_cells)
        self.drafts.append((index, weight, score, parts))

    def _weight_alone(self, cells: list[str], page: int) -> tuple[int, int, Decimal, None] | None:
        """A row whose 分值 is printed and whose 得分 is left blank (a form that leaves scoring to the
        reviewer): found in the header's own columns only, and only with a 三级指标 of its own."""
        columns = self.columns
        at = columns.weight + self.page_shifts.get(page, 0)
        name_at = columns.positions["name"]
        if not (0 <= at < len(cells) and name_at < len(cells) and cells[name_at]):
            return None
        weight = _number(cells[at])
        score_at = at + columns.score_offset
        if weight is None or (score_at < len(cells) and cells[score_at] not in vocabulary.NONE_MARKS):
            return None
        return at, columns.score_offset, weight, None

    def _read_total(self, cells: list[str], index: int, page: int) -> None:
        self.total_row = index
        pair = _numeric_pair(cells, self.columns.score_offset)
        if pair is not None:
            self.page_shifts.setdefault(page, pair[0] - self.columns.weight)
            self.total = pair[3]
        else:
            label_at = next(at for at, cell in enumerate(cells) if cell)
            for cell in cells[label_at + 1:]:
                if cell not in vocabulary.NONE_MARKS and _number(cell) is None:
                    raise _Problem(f"{self.grid.place(index)}：总分行的“{cell}”不是数字。")
            numbers = [(at, number) for at, number in enumerate(map(_number, cells)) if number is not None]
            weight_at = self.columns.weight + self.page_shifts.get(page, 0)
            if numbers and numbers[-1][0] != weight_at:
                self.total = numbers[-1][1]
            else:
                self.note(index, "总分行没有印得分，总分按未填写处理。")
        self._join_pending()

    def _read_closing_row(self, cells: list[str], index: int) -> None:
        """Rows after 总分 other than 评分等级 (评价结论, 存在问题, notes under the table): notes."""
        text = _line(" ".join(cell for cell in cells if cell))
        if vocabulary.PAGE_NUMBER.match(text):
            return
        self.note(index, f"表格之后的文字：“{text[:60]}”。")

    def _read_grade(self, cells: list[str], index: int) -> None:
        labels = list(filter(None, map(_key, cells)))  # 评分等级, then the grade
        text = labels[1] if len(labels) > 1 else ""
        if not text or text[0] not in GRADES:
            raise _Problem(f"{self.grid.place(index)}：评分等级“{text}”不是优、良、中、差之一。")
        self.grade = text[0]

    # Putting the form together.

    def _finish(self) -> ParsedForm:
        self._check_complete()
        self._join_pending()
        indicators = self._carry_labels_down()
        if not indicators:
            raise _Problem("绩效指标表中没有任何指标。")
        if not self.goal_columns and not self.goal_expected and not self.goal_actual:
            self.note(None, "未找到年度总体目标（预期目标、实际完成情况），目标文字留空。")
        if self.grade_row is not None:
            trailing = _content_range(self.rows, self.grade_row + 1, self.stop)
            if trailing and _is_mojibake(self.rows, *trailing):
                self.garbled = trailing
            elif trailing:
                self.notes.append(_note(self.grid, trailing, "在评分等级之后，已忽略。"))
        else:
            self.end = _content_range(self.rows, self.title, self.stop)[1]
        lines, pages = self.grid.span(self.title, self.end)
        facts = {
            "title": _despace(self.rows[self.title][0]), "funding_points": self.funding_points,
            "amount_unit": self.amount_unit, "has_grade_row": self.grade_row is not None,
        }
        figures = FormFigures(
            funding=self.funding,
            indicators=indicators,
            declared_total=self.total,
            declared_grade=self.grade,
        )
        return ParsedForm(
            file=self.file,
            lines=lines,
            year=self.year,
            project_name=self.project_name,
            department=self.department,
            unit=self.unit,
            goal_expected=_paragraphs(self.goal_expected),
            goal_actual=_paragraphs(self.goal_actual),
            figures=figures,
            has_deviation_column=self.has_deviation,
            notes=self.notes,
            pages=pages,
            amount_unit=self.amount_unit,
            profile=vocabulary.profile_for(facts).key,
        )

    def _check_complete(self) -> None:
        if self.columns is None:
            raise _Problem("缺少绩效指标表头（一级指标、二级指标、三级指标、年度指标值、实际完成值、分值、得分）。")
        if self.total_row is None:
            last = _content_range(self.rows, self.title, self.stop)
            where = self.grid.place(last[1] if last else self.title)
            if self.drafts or self.pending:
                raise _Problem(f"表格在{where}结束，缺少其后的指标和总分（表格不完整，可能只截取了一部分）。")
            raise _Problem(f"表格在{where}结束，缺少绩效指标和总分（表格不完整）。")
        if self.year is None:
            raise _Problem("标题下缺少年度，如“(2023 年度)”。")
        if not self.project_name:
            raise _Problem("缺少项目名称。")
        if "total" not in self.funding_kinds:
            raise _Problem("项目资金缺少“年度资金总额”（总额）行。")

    def _join_pending(self) -> None:
        """A row without 分值 and 得分 continues the cells of the row above it (a page break split
        that row); its cells are placed on the grid of the page it is on."""
        for index, page, cells, columns in self.pending:
            shift = self.page_shifts.get(page, 0)
            roles, text_cells, _ = _layout(columns, shift, len(cells), columns.score_offset)
            for role, cell in zip(roles, cells):
                if cell and role in ("weight", "score") and _number(cell) is None:
                    raise _Problem(f"{self.grid.place(index)}：{_ROLE_LABELS[role]}“{cell}”不是数字。")
            filled = {role: cell for role, cell in zip(roles, cells) if cell}
            if filled and all(role in _LABEL_ROLES and label_key(cell) in _KNOWN_LEVELS for role, cell in filled.items()):
                self.note(index, f"“{'、'.join(filled.values())}”行没有指标，已跳过。")
                continue
            if not self.drafts:
                self.note(index, "指标表头后的第一行没有分值和得分，无法归属，已忽略。")
                continue
            line, _, _, parts = self.drafts[-1]
            self._add_fragments(parts, index, cells, text_cells)
            self.note(index, f"没有分值和得分，已作为{self.grid.place(line)}指标的续行合并（分页断行）。")
        self.pending.clear()

    def _add_fragments(self, parts: list[str], index: int, cells: list[str], text_cells: _TextCells) -> None:
        for at, role, slot in text_cells:
            cell = cells[at]
            if not cell:
                continue
            if role is None:
                self.note(index, f"得分右侧的“{cell}”不属于任何列，已忽略。")
            elif parts[slot]:
                # Labels are joined without a space (`满意 度指 标`), other texts with one.
                parts[slot] += (cell if role in _LABEL_ROLES else " " + cell)
            else:
                parts[slot] = cell

    def _place_floating_labels(self) -> None:
        """A label printed apart goes to the first of the rows around it without a label of that role."""
        drafts = self.drafts
        for position, role, label in self.floating:
            first = min(position, len(drafts))
            slot = _SLOTS[role]
            while first > 0 and not drafts[first - 1][3][slot]:
                first -= 1
            if first < len(drafts) and not drafts[first][3][slot]:
                drafts[first][3][slot] = label

    def _carry_labels_down(self) -> list[IndicatorFigures]:
        """Merged 一级/二级 cells print their label once: empty ones take the label above."""
        self._place_floating_labels()
        indicators: list[IndicatorFigures] = []
        level1 = level2 = ""
        blank_scores = 0
        synonyms = vocabulary.LEVEL2_SYNONYMS
        has_deviation = self.has_deviation
        for line, weight, score, parts in self.drafts:
            own1, own2, name, operator, target, unit, actual, deviation = parts
            if own1 or own2:
                own1, own2 = _level(own1) if own1 else "", _level(own2) if own2 else ""
                if own2 or (own1 and own1 != level1):
                    level2 = own2
                level1 = own1 or level1
            synonym = level1 in synonyms and synonyms[level1].get(level2)
            if synonym:
                self.note(line, f"二级指标“{level2}”按“{synonym}”读取。")
                level2 = synonym
            name = _line(name)
            if not (level1 and level2 and name):
                missing = "一级指标" if not level1 else "二级指标" if not level2 else "三级指标名称"
                raise _Problem(f"{self.grid.place(line)}：指标缺少{missing}。")
            deviation = _line(deviation) if has_deviation and deviation else ""
            if operator or unit:
                target = _line(operator) + _line(target) + _line(unit)
            target, actual = _value(target), _value(actual)
            blank_scores += score is None
            indicators.append(IndicatorFigures(level1, level2, name, target, actual, weight, score, deviation))
        if blank_scores:
            self.note(None, f"{blank_scores} 项指标的得分空白，按未填写处理。")
        return indicators


def _first_key(cells: list[str]) -> tuple[int, str]:
    """Where the row's first label is (its first cell whose key is not empty), and its key; (-1, "") if none."""
    for at, cell in enumerate(cells):
        if cell:
            key = _key(cell)
            if key:
                return at, key
    return -1, ""


def _funding_row_label(key: str) -> str:
    """A funding row's label as printed, less 其中 and colons (`其中： 当年财政拨款` → 当年财政拨款)."""
    key = key.strip(":：")
    return key[2:].lstrip(":：") if key.startswith("其中") else key


_ROLE_NAMES = {"project_name": "项目名称", "department": "主管部门", "unit": "实施单位"}


@lru_cache(maxsize=1024)
def _level(text: str) -> str:
    """An 一级/二级 label without its spaces and suffixes (`产出指标(50分)` → 产出指标)."""
    return label_key(_label(text)) if text else ""


def _cells_at(cells: list[str], positions: Iterable[int]) -> list[str]:
    """The cells at these positions; "" for a position outside the row."""
    width = len(cells)
    return [cells[position] if 0 <= position < width else "" for position in positions]


@lru_cache(maxsize=4096)
def _amount(value: str) -> Decimal | None:
    """The number of a funding cell, where a rate may carry its % sign."""
    return _number(value.rstrip("%％"))


def _amounts(fields: Iterable[str], cells: list[str]) -> tuple[dict[str, str], dict[str, Decimal | None], str | None]:
    """Funding cells by field, their numbers (None for a cell that holds none), and the first field
    whose cell holds neither a number nor a mark of an empty cell."""
    values = dict(zip(fields, cells))
    numbers = dict(zip(values, map(_amount, cells)))
    for field_name, number in numbers.items():
        if number is None and values[field_name] not in vocabulary.NONE_MARKS:
            return values, numbers, field_name
    return values, numbers, None


def _from_yuan(amount: Decimal | None) -> Decimal | None:
    """An amount printed in 元, in 万元."""
    return None if amount is None else (amount / _TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def _is_goal_label(cell: str) -> bool:
    """`年度 总体 目标` is printed down the rows of the goal block; its pieces are not goal text."""
    if cell[0] not in _GOAL_LABEL:  # spares despacing a long goal text
        return False
    key = _despace(cell)
    return len(key) >= 2 and key in _GOAL_LABEL
