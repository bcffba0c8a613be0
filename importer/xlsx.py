"""Workbooks as one more source of the one form reader: each sheet becomes a grid of its cells.

A workbook exported by zpb (FORM-LAYOUT.md) and filled or corrected offline, or a sheet laid out like
the printed form by hand, is read like any other source (importer.parsing.read_grid): every sheet but
汇总 is read on its own, its rows numbered as the sheet numbers them, so a sheet that cannot be read
becomes a FormError while the others are read as usual. Cells are taken as typed: a number as the
decimal it shows, text as written. Plain Python and openpyxl, no Django.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from evaluations.excel import SUMMARY_TITLE
from importer.grid import Grid, typed_text
from importer.parsing import FormError, ParseError, ParsedForm, holds_no_form, read_grid

__all__ = ["check_archive", "looks_like_xlsx", "parse_workbook", "sheet_grid"]

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


def parse_workbook(data: bytes, file: str, reader=read_grid) -> tuple[list[ParsedForm], list[FormError]]:
    """The forms of every form sheet (read by `reader`, the form reader unless given); raises ParseError
    when the bytes are not a readable .xlsx workbook.

    A form's `file` is ``book.xlsx[sheet]`` and its `lines` are the sheet's rows; a sheet that holds
    no form at all (notes, an empty sheet) is passed over.
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
            grid = sheet_grid(sheet.iter_rows(values_only=True))
            if holds_no_form(grid):
                continue
            sheet_forms, sheet_errors = reader(grid, f"{file}[{sheet.title}]")
            forms += sheet_forms
            errors += sheet_errors
    finally:
        workbook.close()
    return forms, errors


def sheet_grid(rows) -> Grid:
    """A sheet's rows (tuples of values) as a grid: each cell as typed (grid.typed_text), trailing empty
    cells dropped.

    A line break typed in a cell is the writer's (a PDF's is a wrap): it is kept as the markup for one
    (`<br>`), which the reader keeps in goal texts as text dumps' HTML paragraphs are kept."""
    grid_rows = []
    for values in rows:
        cells = [typed_text(_as_text(value)).replace("\n", "<br>") for value in values]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        grid_rows.append(cells or [""])
    return Grid(grid_rows, lines=list(range(1, len(grid_rows) + 1)), kind="xlsx")


def _as_text(value) -> str:
    """A cell as it shows: a spreadsheet's binary float (0.1 + 0.2 = 0.30000000000000004) as the decimal
    it stands for, text with its line breaks."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(round(value, 6)))
        return format(number.to_integral() if number == number.to_integral() else number.normalize(), "f")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


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
