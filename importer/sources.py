"""One entry point for every kind of uploaded or named file: text dumps and .xlsx workbooks."""

from importer import parsing, xlsx


# Files people pick by mistake, known by their first bytes: (signature, what it is, what to do instead).
OTHER_FORMATS = [
    (b"%PDF-", "PDF 文件", "请先在 PDF 阅读器中将其“另存为文本”（.txt）后再上传。"),
    (b"\x89PNG", "PNG 图片", ""),
    (b"\xff\xd8\xff", "JPEG 图片", ""),
    (b"GIF8", "GIF 图片", ""),
    (b"Rar!", "RAR 压缩包", ""),
    (b"7z\xbc\xaf", "7z 压缩包", ""),
    (b"\x1f\x8b", "gzip 压缩文件", ""),
]


def check_readable(data: bytes) -> None:
    """Raise parsing.ParseError, in Chinese, unless `data` is a text dump or a workbook that may be opened."""
    if xlsx.looks_like_xlsx(data):
        xlsx.check_archive(data)
    else:
        _refuse_other_formats(data)
        parsing.decode(data)


def _refuse_other_formats(data: bytes) -> None:
    for signature, kind, advice in OTHER_FORMATS:
        if data.startswith(signature):
            raise parsing.ParseError(f"这是{kind}。{advice}")


def parse_file(data: bytes, name: str):
    """(forms, errors) of one file; raises parsing.ParseError when it is neither text nor a workbook."""
    if xlsx.looks_like_xlsx(data):
        return xlsx.parse_workbook(data, name)
    _refuse_other_formats(data)
    return parsing.parse_text(parsing.decode(data), file=name)
