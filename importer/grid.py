"""Adapters: every source becomes a Grid, rows of cells in reading order, for the one form reader.

The reader (importer.parsing) knows nothing of where a grid came from. A source only has to say
which cells a row has and where the row was (a line of text, a page of a PDF); a blank row marks
a page break. Plain Python (and pdfplumber for PDFs), no Django.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO

from importer import vocabulary


class ParseError(ValueError):
    """A file that cannot be read at all (not text in any encoding read, a broken PDF); the message
    says why, in Chinese."""


@dataclass
class Grid:
    rows: list[list[str]]  # the stripped cells of each row; a row of no filled cell is a break
    lines: list[int] | None = None  # 1-based line of each row (text)
    pages: list[int] | None = None  # 1-based page of each row (PDF)
    kind: str = "text"

    def place(self, index: int) -> str:
        """Where row `index` is, for a user."""
        if self.lines is not None:
            return f"第 {self.lines[index]} 行"
        return f"第 {self.pages[index]} 页"

    def span(self, first: int, last: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """(lines, pages) of rows first..last."""
        lines = (self.lines[first], self.lines[last]) if self.lines is not None else None
        pages = (self.pages[first], self.pages[last]) if self.pages is not None else None
        return lines, pages


def typed_text(text: str) -> str:
    """Text as a person typed it or a PDF prints it, in the notation of the reader's cells: the reader
    takes out the markup that extractors leave in text dumps (`<p>`, `&nbsp;`), so a source that has
    none escapes its own `<`, `>` and `&` (a typed `<b>重点</b>` or `a<b` is read back as typed)."""
    return html.escape(text, quote=False) if "<" in text or ">" in text or "&" in text else text


# --- Text ------------------------------------------------------------------

def tab_grid(lines: list[str], numbers: list[int] | None = None) -> Grid:
    """Tab-separated text (the dumps, pdfplumber's tables one row a line): a cell between tabs.
    `numbers` are the lines' own numbers when some rows were joined from several lines."""
    strip = str.strip
    rows = [list(map(strip, line.split("\t"))) for line in lines]
    return Grid(rows, lines=numbers or list(range(1, len(lines) + 1)))


def dump_grid(text: str) -> Grid | None:
    """The grid a plain tab dump gives by tab_grid, without telling layouts apart first; None if the
    text is not one (a tab in fewer than a tenth of its lines, or pdfplumber's text before its
    tables). A tab in a tenth of all lines is a tab in a tenth of the filled lines, so text_kind
    would call the text "tab" too. `text` has `\n` line ends."""
    lines = text.split("\n")
    grid = tab_grid(lines)
    untabbed = list(map(len, grid.rows)).count(1)
    if (len(lines) - untabbed) * 10 < len(lines) or tables_after_text(lines) is not None:
        return None
    return grid


def wrapped_rows(lines: list[str]) -> tuple[list[str], list[int]] | None:
    """pdfplumber's tables written one row a line keep a wrapped cell's line break inside the row, so
    a row may run over several lines. The rows of one table (lines between blank lines) have one
    number of tabs, the most any of its lines has: lines whose tabs add up to exactly it are one row.
    None if no row was wrapped."""
    rows, numbers, joined = [], [], False
    block: list[int] = []

    def flush():
        nonlocal joined
        counts = [lines[i].count("\t") for i in block]
        width = max(counts, default=0)  # no line of a table has more tabs than its rows
        i = 0
        while i < len(block):
            tabs, j = counts[i], i
            while tabs < width and j + 1 < len(block) and tabs + counts[j + 1] <= width:
                j += 1
                tabs += counts[j]
            if width and tabs == width:
                # Lines without a tab after a whole row are the rest of its last cell when that cell
                # holds text (a wrapped cell that ends the row), else the start of the next row.
                while j + 1 < len(block) and counts[j + 1] == 0 and lines[block[j]].strip(" ").rsplit("\t", 1)[-1]:
                    j += 1
            if width and j > i and tabs == width:
                rows.append("\n".join(lines[k] for k in block[i:j + 1]))
                joined = True
            else:
                j = i
                rows.append(lines[block[i]])
            numbers.append(block[i] + 1)
            i = j + 1
        block.clear()

    for index, line in enumerate(lines):
        if line.strip():
            block.append(index)
            continue
        flush()
        rows.append(line)
        numbers.append(index + 1)
    flush()
    return (rows, numbers) if joined else None


_TITLE_LINE = re.compile(r"^\s*\S*项目支出绩效自评表\s*$")
_YEAR_LINE = re.compile(r"^\s*[(（]\s*\d{4}\s*年\s*度?\s*[)）]\s*$")


def _is_indicator_header(line: str, separator: str | None) -> bool:
    cells = line.split(separator)
    return len(cells) >= 3 and [_key(cell) for cell in cells[:2]] == ["一级指标", "二级指标"]


def _labels_at_page_breaks(lines: list[str], starts: list[int]) -> dict[tuple[int, int], list[tuple[int, str]]]:
    """The 一级/二级 labels the text prints alone on a line just before an indicator header that is
    repeated on a new page, by (form, header of that form): the label of a merged cell that crosses
    the page break, which the PDF prints outside both pages' tables (so no table has it)."""
    found: dict[tuple[int, int], list[tuple[int, str]]] = {}
    form, header = -1, 0
    for index, line in enumerate(lines):
        if index in starts:
            form, header = form + 1, 0
        if not _is_indicator_header(line, None):
            continue
        labels = []
        above = index - 1
        while above >= 0 and vocabulary.label_key(lines[above]) in vocabulary.KNOWN_LEVELS and header > 0:
            labels.insert(0, (above, lines[above].strip()))
            above -= 1
        if labels:
            found[(form, header)] = labels
        header += 1
    return found


def tables_after_text(lines: list[str]) -> tuple[list[str], list[int]] | None:
    """pdfplumber's text, then its tables (each row a line of tabs): the tables hold the cells, the
    text the title and year of each form, which the tables lack, and the labels of merged cells that
    cross a page break. The rows of the tables, each form's title and year put back before its
    项目名称 row and those labels before the header repeated on the new page; None if the text is
    not laid out so."""
    first_tab = next((i for i, line in enumerate(lines) if "\t" in line), None)
    if first_tab is None:
        return None
    heads = [(i, lines[i + 1]) for i in range(first_tab - 1) if _TITLE_LINE.match(lines[i]) and _YEAR_LINE.match(lines[i + 1])]
    # The text part is the same forms again, as text: as many 项目名称 lines as the tables have.
    texts = sum(line.replace(" ", "").startswith("项目名称") for line in lines[:first_tab])
    if not heads or texts != len(heads):
        return None
    starts = [i for i in range(first_tab, len(lines)) if lines[i].split("\t", 1)[0].replace(" ", "") == "项目名称"]
    if len(starts) != len(heads) or any(_TITLE_LINE.match(line) for line in lines[first_tab:]):
        return None
    text_starts = [i for i in range(first_tab) if lines[i].replace(" ", "").startswith("项目名称")]
    floating = _labels_at_page_breaks(lines[:first_tab], text_starts)
    rows, numbers = [], []
    heads_by_start = dict(zip(starts, heads))
    form, header = -1, 0
    for index in range(first_tab, len(lines)):
        if index in heads_by_start:
            title_at, year = heads_by_start[index]
            rows += [lines[title_at].strip(), year.strip(), ""]
            numbers += [title_at + 1, title_at + 2, title_at + 2]
            form, header = form + 1, 0
        if _is_indicator_header(lines[index], "\t"):
            for at, label in floating.get((form, header), []):
                # A blank line after each: a line without tabs must not join the row below it.
                rows += [label, ""]
                numbers += [at + 1, at + 1]
            header += 1
        rows.append(lines[index])
        numbers.append(index + 1)
    return rows, numbers


# A run of two or more spaces (or an ideographic space) separates the cells of space-aligned text.
_GAP = re.compile(r" {2,}|\u3000+")


def text_kind(lines: list[str]) -> str:
    """How the text lays out its cells: "tab", "spaced" (columns of runs of spaces), "single_spaced"
    (cells joined by single spaces, as pdfplumber's extract_text writes them) or "cell_per_line"."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return "tab"
    tabbed = sum("\t" in line for line in filled)
    if tabbed * 10 >= len(filled):
        return "tab"
    spaced = sum(len(_GAP.split(line.strip())) > 1 for line in filled)
    if spaced * 5 >= len(filled):
        return "spaced"
    labels = {"".join(line.split()) for line in filled}
    # pdftotext without -layout: every cell alone on its line, the labels of a row on lines of their own.
    if {"一级指标", "二级指标"} <= labels or {"年初预算数", "全年执行数"} <= labels:
        return "cell_per_line"
    if any(line.split()[:3] == ["一级指标", "二级指标", "三级指标"] for line in filled):
        return "single_spaced"
    return "tab"


# How a program counts columns when it turns tabs into spaces: GNU expand counts bytes, Python
# and most editors count characters, terminals count display width (a Chinese character is two).
_MEASURES = {
    "bytes": lambda char: len(char.encode("utf-8")),
    "chars": lambda char: 1,
    "display": lambda char: 2 if unicodedata.east_asian_width(char) in "WF" else 1,
}


def _runs(line: str, measure) -> list[tuple[int, int, int, int]]:
    """(start index, end index, start column, end column) of every run of spaces inside the line."""
    runs, column, start = [], 0, None
    for index, char in enumerate(line):
        if char == " ":
            if start is None:
                start = (index, column)
        elif start is not None:
            runs.append((start[0], index, start[1], column))
            start = None
        column += measure(char)
    if start is not None:  # trailing spaces: the tabs of empty cells at the end of a row
        runs.append((start[0], len(line), start[1], column))
    return runs


def tab_stops(lines: list[str]) -> tuple[str, int] | None:
    """How the tabs of a dump were turned into spaces, when they were: each tab as the same number
    of spaces ("runs", width), or spaces up to the next tab stop by some column measure (GNU expand,
    an editor); None for text laid out by position."""
    sample = [line.rstrip() for line in lines if "  " in line.strip()][:400]
    for name, measure in _MEASURES.items():
        ends = [end for line in sample for _, _, start, end in _runs(line, measure) if end - start >= 2]
        if len(ends) < 10:
            return None
        for width in (8, 4):
            if sum(end % width == 0 for end in ends) * 100 >= 98 * len(ends):
                return name, width
    gaps = [len(gap) for line in sample for gap in re.findall(r" {2,}", line)]
    for width in (8, 4, 3, 2):
        # A cell's own trailing space may stand before its tab (width 3 and up).
        slack = (0, 1) if width > 2 else (0,)
        if sum(gap % width in slack for gap in gaps) * 100 >= 98 * len(gaps):
            return "runs", width
    return None


def untabbed(lines: list[str], stops: tuple[str, int]) -> list[str]:
    """The tab-separated lines back from spaces.

    Each run of `width` spaces was one tab ("runs"); or a run of spaces that ends at a tab stop was
    one tab for each stop it reaches. A single space that happens to end at a stop is ambiguous: it
    is taken for a tab only where the row then has no more cells than the last row without such
    doubt (a row of a table keeps its number of cells), those between two Chinese characters
    undone first."""
    if stops[0] == "runs":
        width = stops[1]
        return [re.sub(f"(?: {{{width}}})+", lambda run: "\t" * (len(run.group()) // width), line) for line in lines]
    measure, width = _MEASURES[stops[0]], stops[1]
    result = []
    expected = None
    for line in lines:
        splits, doubtful = [], []
        for start, end, start_column, end_column in _runs(line, measure):
            if end_column % width == 0:
                splits.append((start, end, end_column // width - start_column // width))
                if end - start == 1 and 0 < start and end < len(line):
                    doubtful.append(len(splits) - 1)
        cells = 1 + sum(count for _, _, count in splits)
        if not doubtful:
            if cells >= 3:
                expected = cells
        elif expected is not None and cells > expected:
            ranked = sorted(doubtful, key=lambda i: not (_wide(line[splits[i][0] - 1]) and _wide(line[splits[i][1]])))
            for i in ranked[:cells - expected]:
                splits[i] = None
        pieces, last = [], 0
        for split in filter(None, splits):
            start, end, count = split
            pieces.append(line[last:start])
            pieces.append("\t" * count)
            last = end
        pieces.append(line[last:])
        result.append("".join(pieces))
    return result


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


_SEGMENT = re.compile(r"\S+(?: \S+)*")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$|^[-—－/]$")


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def _segments(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the runs of a line separated by two spaces or more (positions in characters,
    as pdftotext -layout counts them), or by one between two Chinese characters (two cells that nearly
    touch: Chinese text itself has no spaces)."""
    line = line.replace("\u3000", "  ").replace("\f", " ")
    runs = []
    for match in _SEGMENT.finditer(line):
        start = match.start()
        for part in _CJK_GAP.split(match.group()):
            for piece in _touching_numbers(part):
                runs.append((start, start + len(piece), piece))
                start += len(piece) + 1
    return runs


def _touching_numbers(text: str) -> list[str]:
    """A run split between numbers that only one space separates (`56.00 55.26 10.00`: the cells of
    narrow columns nearly touch), between a number and a label that steers the reading after it
    (`99.86 评分等级`), and between a funding row's label and its first amount (`资金总额 3,600,000.00`);
    a number next to other words (`风机 1 台`) stays with them."""
    words = text.split(" ")
    if len(words) < 2 or not any(_NUMBER.match(word) for word in words):
        return [text]
    pieces = [words[0]]
    for word in words[1:]:
        last = pieces[-1]
        if " " not in last and ((_NUMBER.match(last) and (
                _NUMBER.match(word) or _key(word) in vocabulary.GRADE_LABELS or _key(word) in vocabulary.TOTAL_LABELS))
                or (_NUMBER.match(word) and vocabulary.label_key(last) in vocabulary.FUNDING_ROWS)):
            pieces.append(word)
        else:
            pieces[-1] += " " + word
    return pieces


def _wrapped_header_words(segments: list[list[tuple[int, int, str]]], headers: list[bool]) -> None:
    """A header word wrapped onto the line below the header (`全年执` / `行数`) joins its header word
    when together they make a known column label; the line below then holds nothing else."""
    for i in range(len(segments) - 1):
        below = segments[i + 1]
        if not headers[i] or headers[i + 1] or not below:
            continue
        joined = {}
        for start, stop, text in below:
            for k, (s, e, word) in enumerate(segments[i]):
                if s <= stop and start <= e + 1 and not _header_word(word) and _header_word(word + text):
                    joined[k] = (s, max(e, stop), word + text)
        if len(joined) == len(below):
            for k, run in joined.items():
                segments[i][k] = run
            segments[i + 1] = []


def _key(text: str) -> str:
    return vocabulary.label_key(text)


def _steers(segments) -> bool:
    """A line whose first run is a label the reading turns on (names, totals, grade, title, year)."""
    key = _key(segments[0][2])
    return (key in vocabulary.HEAD_LABELS or key in vocabulary.TOTAL_LABELS or key in vocabulary.GRADE_LABELS
            or "自评表" in key or bool(re.fullmatch(r"[(（]?\d{4}年度?[)）]?", key)))


def _header_word(text: str) -> bool:
    key = _key(text)
    return (key in vocabulary.INDICATOR_COLUMNS or key in vocabulary.FUNDING_COLUMNS or key in vocabulary.GOAL_HEADERS)


def _is_header_line(segments) -> bool:
    """A table's header: three column labels or more, or the goal block's 预期目标 and 实际完成情况
    (a row of its own even where no blank line parts it from the funding row above)."""
    if sum(_header_word(text) for *_, text in segments) >= 3:
        return True
    return {vocabulary.GOAL_HEADERS.get(_key(text)) for *_, text in segments} >= {"expected", "actual"}


@dataclass
class _Cell:
    start: int
    end: int
    texts: list[tuple[int, str]]  # (line, text), top to bottom

    @property
    def text(self) -> str:
        return " ".join(text for _, text in sorted(self.texts))

    @property
    def middle(self) -> float:
        return sum(line for line, _ in self.texts) / len(self.texts)


def _cells(runs: list[tuple[int, int, int, str]]) -> list[_Cell]:
    """Runs (line, start, end, text) of one row as its cells: runs that overlap in position are one
    cell, left to right."""
    cells: list[_Cell] = []
    for line, start, end, text in sorted(runs, key=lambda run: run[1]):
        if cells and start < cells[-1].end:
            cells[-1].end = max(cells[-1].end, end)
            cells[-1].texts.append((line, text))
        else:
            cells.append(_Cell(start, end, [(line, text)]))
    return cells


def layout_grid(lines: list[str]) -> Grid:
    """Text laid out by position (`pdftotext -layout`): a table row's cells may wrap over several
    lines, centred on the row's middle line, and a merged cell's text is centred on its span.

    A row is the line holding its one-line cells (two numbers or more, or a label that steers the
    reading), with the lines of its block (up to a blank line) nearest to it. Its cells are the runs
    of text that overlap in position, left to right. Under an indicator header each cell takes the
    header's column nearest to it, and a column empty in most rows holds merged cells: each text
    goes into the first row of the span it is centred on."""
    segments = [_segments(line) for line in lines]
    headers = [_is_header_line(segs) for segs in segments]
    _wrapped_header_words(segments, headers)
    anchors = [bool(segs) and (headers[i] or sum(bool(_NUMBER.match(text)) for *_, text in segs) >= 2 or _steers(segs))
               for i, segs in enumerate(segments)]
    rows: list[tuple[int, list[tuple[int, int, int, str]]]] = []  # (the row's own line, its runs)
    index = 0
    while index < len(lines):
        if not segments[index]:
            index += 1
            continue
        end = index + 1
        # A page starts a block, and so does a header: no line crosses it to a row on its other side.
        while end < len(lines) and segments[end] and "\f" not in lines[end] and not headers[end]:
            end += 1
        heads = [i for i in range(index, end) if anchors[i]]
        # A header is one line: text around it (overflowing from the cell above) is no part of it.
        takers = [i for i in heads if not headers[i]] or [next(i for i in range(index, end) if not headers[i])] \
            if not all(headers[i] for i in range(index, end)) else []
        heads = sorted(set(heads) | set(takers)) or [index]
        members: dict[int, list] = {head: [] for head in heads}
        for i in range(index, end):
            for start, stop, text in segments[i]:
                if headers[i]:
                    members[i].append((i, start, stop, text))
                    continue
                head = min(takers, key=lambda h: (abs(h - i), not _mirrored(segments, anchors, h, i, start, stop), h < i))
                members[head].append((i, start, stop, text))
        rows += [(head, members[head]) for head in heads]
        index = end
    grid_rows: list[list[str]] = []
    table = _Table()
    headers = 0  # indicator headers of the form so far
    for head, runs in rows:
        cells = _cells(runs)
        keys = [_key(cell.text) for cell in cells]
        if "自评表" in keys[0]:
            headers = 0  # a new form
        if sum(_header_word(cell.text) for cell in cells) >= 3:
            table.close(grid_rows)
            table = _Table()
            if any(vocabulary.INDICATOR_COLUMNS.get(key) == "level1" for key in keys):
                roles = [vocabulary.INDICATOR_COLUMNS.get(key) for key in keys]
                table = _Table([cell.start for cell in cells], [cell.end for cell in cells], continued=headers > 0,
                               roles=roles)
                headers += 1
        elif table.columns and (any(key in vocabulary.TOTAL_LABELS for key in keys) or _steers([(0, 0, cells[0].text)])):
            table.close(grid_rows)
            table = _Table()
        elif table.columns:
            # Each run on its own: a long wrapped line may reach over the next column's runs.
            lines_of_row = [run[0] for run in runs]
            table.add(len(grid_rows), [_Cell(start, end, [(line, text)]) for line, start, end, text in runs],
                      min(lines_of_row), max(lines_of_row), head)
        grid_rows.append([cell.text for cell in cells])
    table.close(grid_rows)
    return Grid(grid_rows, lines=[head + 1 for head, _ in rows], kind="layout")


def _mirrored(segments, anchors, head: int, line: int, start: int, stop: int) -> bool:
    """Whether the line as far on the other side of `head` holds a run in the same place: a cell of
    the row wrapped around its middle line (which a run as near to another row's line is not)."""
    mirror = 2 * head - line
    if mirror == line or not 0 <= mirror < len(segments) or anchors[mirror]:
        return False
    runs = [(s, e) for s, e, _ in segments[mirror] if s < stop and start < e]
    if not runs:
        return False
    # The mirror line may itself be the wrapped part of a row at least as near to it, mirrored there
    # (`平台-…` between a two-line row above and a one-line row below it): then it is no mirror.
    for other in (mirror - 1, mirror + 1):
        if other != head and 0 <= other < len(segments) and anchors[other] and abs(other - mirror) <= abs(head - mirror):
            across = 2 * other - mirror
            if 0 <= across < len(segments) and not anchors[across] and any(
                    s < e0 and s0 < e for s, e, _ in segments[across] for s0, e0 in runs):
                return False
    return True


_KNOWN_LEVELS = vocabulary.KNOWN_LEVELS


class _Table:
    """The rows under one indicator header: their cells placed in its columns."""

    def __init__(self, starts: list[int] | None = None, ends: list[int] | None = None, continued: bool = False,
                 roles: list[str | None] | None = None):
        self.continued = continued  # under a header repeated on a new page
        self.starts, self.ends, self.roles = starts, ends, roles
        # A cell's text starts at its column's left edge (or is centred in it), never before the end
        # of the header of the column on its left: that end is where the column's cells may start.
        self.columns = [0] + ends[:-1] if starts else None
        self.rows: list[tuple[int, list[_Cell], int, int, int]] = []  # (grid row, its runs, top, bottom, own line)

    def add(self, at: int, cells: list[_Cell], top: int, bottom: int, line: int) -> None:
        self.rows.append((at, cells, top, bottom, line))

    def _place(self, cells: list[_Cell]) -> list[_Cell | None]:
        placed: list[_Cell | None] = [None] * len(self.columns)
        for cell in cells:
            column = max(c for c, edge in enumerate(self.columns) if edge <= cell.start or c == 0)
            if placed[column] is None:
                placed[column] = _Cell(cell.start, cell.end, list(cell.texts))
            else:
                placed[column].texts += cell.texts
        return placed

    def _placed_scores(self, placed: list[_Cell | None]) -> list[_Cell | None]:
        """A 得分 printed past its narrow header (`分值 得分` a space apart) lands in the column after it;
        a number alone there, with a 分值 and no 得分 on the row, is the row's 得分."""
        if not self.roles or "weight" not in self.roles or "score" not in self.roles:
            return placed
        weight, score = self.roles.index("weight"), self.roles.index("score")
        after = score + 1
        if (after < len(placed) and placed[score] is None and placed[weight] is not None and placed[after] is not None
                and len(placed[after].texts) == 1 and _NUMBER.match(placed[after].text)
                and self.roles[after] == "deviation"):
            placed[score], placed[after] = placed[after], None
        return placed

    def _numbers(self, cells: list[_Cell], line: int) -> list[int]:
        """Where the numbers on a row's own line start."""
        return [cell.start for cell in cells if cell.texts[0][0] == line and _NUMBER.match(cell.texts[0][1])]

    def _recalibrated(self) -> bool:
        """A header overprinted by text from the cell above it (a goal text running over its cell)
        comes out of pdftotext squeezed: its columns no longer stand over the rows' numbers, and 分值
        and 得分 fall into one column. Then the header's places are stretched so that its 分值 and 得分
        stand where most rows print them."""
        if not self.roles or "weight" not in self.roles or "score" not in self.roles:
            return False
        rows = [self._numbers(cells, line) for _, cells, _, _, line in self.rows]
        rows = [starts for starts in rows if len(starts) >= 2]
        squeezed = 0
        for starts in rows:
            columns = [max(c for c, edge in enumerate(self.columns) if edge <= start or c == 0) for start in starts[-2:]]
            squeezed += columns[0] == columns[1]
        if not rows or squeezed * 2 < len(rows):
            return False
        weight_at, score_at = self.roles.index("weight"), self.roles.index("score")
        weight = sorted(starts[-2] for starts in rows)[len(rows) // 2]
        score = sorted(starts[-1] for starts in rows)[len(rows) // 2]
        points = [(0, 0), (self.starts[weight_at], weight), (self.starts[score_at], score)]

        def stretched(position: int) -> float:
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                if position <= x1:
                    return y0 + (position - x0) * (y1 - y0) / max(x1 - x0, 1)
            return position + score - self.starts[score_at]

        self.columns = [0] + [stretched(end) for end in self.ends[:-1]]
        return True

    def close(self, grid_rows: list[list[str]]) -> None:
        if not self.columns or not self.rows:
            return
        self._recalibrated()
        placed_rows = [self._placed_scores(self._place(cells)) for _, cells, _, _, _ in self.rows]
        count = len(self.rows)
        filled = [sum(cells[c] is not None for cells in placed_rows) for c in range(len(self.columns))]
        first_full = next((c for c, n in enumerate(filled) if n * 5 >= count * 4), len(filled))
        texts = [[cell.text if cell else "" for cell in cells] for cells in placed_rows]
        for column in range(first_full):
            if filled[column] * 2 <= count:
                self._centre(column, texts, placed_rows)
        for (at, _, _, _, _), row in zip(self.rows, texts):
            grid_rows[at] = row

    def _centre(self, column: int, texts: list[list[str]], placed_rows: list[list[_Cell | None]]) -> None:
        """Each merged cell's text into the first row of the span of rows it is centred on.

        Spans are fixed from the last up: the last reaches the table's end, each other ends where
        the one below starts, and starts where its text is the middle of it. The first starts at
        the first row, unless the table continues one from the page before (a repeated header):
        then rows above it belong to the label of that page."""
        labels: list[tuple[float, str, int]] = []  # (middle, text, last line)
        for cells in placed_rows:
            cell = cells[column]
            if cell is None:
                continue
            last = max(line for line, _ in cell.texts)
            first = min(line for line, _ in cell.texts)
            if labels and first - labels[-1][2] <= 2 and _key(labels[-1][1] + cell.text) in _KNOWN_LEVELS \
                    and _key(labels[-1][1]) not in _KNOWN_LEVELS:
                # One label wrapped over two lines that fell to two rows.
                middle, text, _ = labels.pop()
                labels.append(((middle + cell.middle) / 2, text + cell.text, last))
            else:
                labels.append((cell.middle, cell.text, last))
        labels.sort()
        for row in texts:
            row[column] = ""
        tops = [top for _, _, top, _, _ in self.rows]
        bottoms = [bottom for _, _, _, bottom, _ in self.rows]
        end = len(self.rows) - 1
        for k in range(len(labels) - 1, -1, -1):
            middle, text, _ = labels[k]
            if end < 0:
                break
            # A span holds the row its text is printed in: it starts below the row of the label above.
            floor = max((s for s in range(end + 1) if tops[s] <= labels[k - 1][0]), default=-1) if k else -1
            starts = [s for s in range(floor + 1, end + 1) if tops[s] <= middle] or [max(floor + 1, 0)]
            start = min(starts, key=lambda s: abs((tops[s] + bottoms[end]) / 2 - middle))
            if k == 0 and not self.continued:
                start = 0
            texts[start][column] = text
            end = start - 1


# --- PDF -------------------------------------------------------------------

PDF_MAGIC = b"%PDF-"


def _open_pdf(data: bytes):
    """The PDF opened by pdfplumber; ParseError, in Chinese, when it cannot be read. How many pages an
    import takes is the import's limit (importer.staging), checked before a page is read."""
    import pdfplumber  # imported here: the text path must not pay for it

    try:
        pdf = pdfplumber.open(BytesIO(data))
        pages = len(pdf.pages)
    except Exception:  # noqa: BLE001 - a broken PDF raises anything from PSSyntaxError to KeyError
        raise ParseError("这个 PDF 文件已损坏或无法打开。") from None
    if not pages:
        pdf.close()
        raise ParseError("这个 PDF 文件没有任何页面。")
    return pdf


def check_pdf(data: bytes) -> None:
    """Raise ParseError unless the PDF opens (reads only its page tree)."""
    _open_pdf(data).close()


def pdf_grid(data: bytes) -> Grid:
    """A PDF read directly: each table's rows (pdfplumber, cells from the ruling lines; a merged cell
    is whole in its first cell, None in the others) and the text outside the tables (title, year,
    notes) as one-cell rows, in page order; a blank row between pages."""
    rows: list[list[str]] = []
    pages: list[int] = []
    with _open_pdf(data) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                items = _page_items(page)
            except Exception:  # noqa: BLE001 - a damaged page raises anything pdfminer may raise
                raise ParseError(f"这个 PDF 文件的第 {number} 页已损坏，无法读取。") from None
            if not items and not page.chars:
                continue
            for _, cells in sorted(items, key=lambda item: item[0]):
                rows.append(cells)
                pages.append(number)
            rows.append([""])
            pages.append(number)
    return Grid(rows, pages=pages, kind="pdf")


# Some PDF fonts (Chromium's print of CJK text, for one) map their glyphs to the Kangxi radicals and
# the CJK radicals supplement, which look like the ideographs but are other characters: 项⽬ for 项目.
_RADICALS = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0x2F00, 0x2FD6)}
_RADICALS.update({ord(radical): ideograph for radical, ideograph in zip(
    "⺁⺇⺌⺍⺕⺤⺨⺮⺳⺶⺷⺻⺼⻀⻄⻅⻆⻈⻉⻋⻍⻏⻐⻑⻒⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "厂几小小彐爪犬竹网羊羊聿月艹西见角讠贝车辶阝钅镸长长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
)})


def _unwrap(cell: str | None) -> str:
    """A cell's lines, stripped, radicals read as the ideographs they stand for, as printed (typed_text);
    the line breaks stay (the reader joins wrapped lines, and a header cell overlaid by text overflowing
    from the cell above keeps its own label on its last line)."""
    text = (cell or "").translate(_RADICALS)
    return typed_text("\n".join(line.strip() for line in text.split("\n") if line.strip()))


def _page_cuts(page) -> list[float]:
    """Where the page cuts a table: the highest and lowest ends of its vertical rules. A row that a page
    break splits (as browsers print a long table) has no ruling line at the cut, only its cells' sides
    running to the page's edge; taken as rules there, the two halves are rows of their tables (and the
    reader joins them as it joins any row a page break split). Where a table is ruled, the line is the
    table's own."""
    ends = [(edge["top"], edge["bottom"]) for edge in page.edges if edge["orientation"] == "v"]
    return [min(top for top, _ in ends), max(bottom for _, bottom in ends)] if ends else []


def _page_items(page) -> list[tuple[float, list[str]]]:
    """(top, cells) of every table row and every line of text outside the tables."""
    tables = page.find_tables({"explicit_horizontal_lines": _page_cuts(page)})
    items = []
    boxes = []
    for table in tables:
        boxes.append(table.bbox)
        for row, cells in zip(table.rows, table.extract()):
            items.append((row.bbox[1], [_unwrap(cell) for cell in cells]))

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    for line in page.filter(outside).extract_text_lines():
        text = _unwrap(line["text"])
        if text:
            items.append((line["top"], [text]))
    return items
