"""One entry point for every kind of uploaded or named file: PDFs, text in any layout, .xlsx workbooks.

Each source is turned into rows of cells by its adapter (importer.grid, importer.xlsx) and read by
the one form reader (importer.parsing.read_grid).
"""

from importer import grid, parsing, xlsx

# Files people pick by mistake, known by their first bytes: (signature, what it is, what to do instead).
OTHER_FORMATS = [
    (b"\x89PNG", "PNG 图片", "扫描件或截图无法读取，请上传 PDF、文本或 Excel 文件。"),
    (b"\xff\xd8\xff", "JPEG 图片", "扫描件或截图无法读取，请上传 PDF、文本或 Excel 文件。"),
    (b"GIF8", "GIF 图片", ""),
    (b"Rar!", "RAR 压缩包", ""),
    (b"7z\xbc\xaf", "7z 压缩包", ""),
    (b"\x1f\x8b", "gzip 压缩文件", ""),
]


def check_readable(data: bytes) -> None:
    """Raise parsing.ParseError, in Chinese, unless `data` is a PDF, a text or a workbook that may be opened."""
    if xlsx.looks_like_xlsx(data):
        xlsx.check_archive(data)
    elif data.startswith(grid.PDF_MAGIC):
        grid.check_pdf(data)
    else:
        _refuse_other_formats(data)
        parsing.decode(data)


def _refuse_other_formats(data: bytes) -> None:
    for signature, kind, advice in OTHER_FORMATS:
        if data.startswith(signature):
            raise parsing.ParseError(f"这是{kind}。{advice}")


def parse_file(data: bytes, name: str, reader=parsing.read_grid):
    """(forms, errors) of one file; raises parsing.ParseError when it is neither a PDF, text nor a workbook.
    `reader` reads each grid: the form reader unless given (importer.target_reader reads target tables)."""
    if xlsx.looks_like_xlsx(data):
        return xlsx.parse_workbook(data, name, reader)
    if data.startswith(grid.PDF_MAGIC):
        forms, errors = reader(grid.pdf_grid(data), name)
        if not forms and not errors:
            errors.append(parsing.FormError(name, None, "", parsing.NO_FORM + "（PDF 中没有可读取的文字，可能是扫描件）", None))
        return forms, errors
    _refuse_other_formats(data)
    return parsing.parse_text(parsing.decode(data), file=name, reader=reader)
