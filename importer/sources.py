"""One entry point for every kind of uploaded or named file: text dumps and .xlsx workbooks."""

from importer import parsing, xlsx


def parse_file(data: bytes, name: str):
    """(forms, errors) of one file; raises parsing.ParseError when it is neither text nor a workbook."""
    if xlsx.looks_like_xlsx(data):
        return xlsx.parse_workbook(data, name)
    return parsing.parse_text(parsing.decode(data), file=name)
