"""One uploaded file read once, within the limits of an import, by the reader of its kind of document.
Plain Python, no Django.

Past a limit the whole file, or the one form, becomes an error that says which limit and by how
much, so nothing is dropped without a word.
"""

import io
from dataclasses import dataclass

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from importer import parsing, target_reader
from importer.sources import parse_file


@dataclass(frozen=True)
class Limits:
    pdf_pages: int
    forms_per_file: int
    indicators_per_form: int


def read_file(data: bytes, name: str, limits: Limits, kind) -> tuple[list, list]:
    """(documents, errors) of one file, as `kind` (importer.documents.DocumentKind) reads it, within `limits`;
    a file that cannot be read at all is one error."""
    try:
        return read_within(data, name, limits, kind)
    except parsing.ParseError as error:
        return [], [_file_error(name, str(error))]


def read_within(data: bytes, name: str, limits: Limits, kind) -> tuple[list, list]:
    """Like read_file, but raises parsing.ParseError when the file cannot be read at all."""
    pages = pdf_page_count(data)
    if pages is not None and pages > limits.pdf_pages:
        return [], [_file_error(name, f"此 PDF 共 {pages} 页，超过每个文件最多 {limits.pdf_pages} 页的上限；请拆分后分批上传。")]
    documents, errors = kind.read_file(data, name)
    found = len(documents) + len(errors)
    if found > limits.forms_per_file:
        return [], [_file_error(
            name, f"此文件含 {found} 份{kind.name}，超过每个文件最多 {limits.forms_per_file} 份的上限；请拆分后分批上传。"
        )]
    kept = []
    for document in documents:
        count = kind.indicator_count(document)
        if count > limits.indicators_per_form:
            errors.append(parsing.FormError(
                document.file, document.lines, document.project_name,
                f"此表有 {count} 项绩效指标，超过每份最多 {limits.indicators_per_form} 项的上限（与填报页面相同）。",
                getattr(document, "pages", None),
            ))
        else:
            kept.append(document)
    return kept, errors


def read_forms(data: bytes, name: str) -> tuple[list, list]:
    """(forms, errors) of one file, as importer.sources.parse_file reads it; a file of target tables says so."""
    forms, errors = parse_file(data, name)
    if not forms and any(error.message.startswith(parsing.NO_FORM) for error in errors):
        errors = _target_tables_instead(data, name) or errors
    return forms, errors


def _target_tables_instead(data: bytes, name: str) -> list:
    """A file of target tables rather than forms: one error that says so and where they are imported."""
    tables, _ = target_reader.parse_file(data, name)
    if not tables:
        return []
    names = "、".join(f"{table.project_name}（{table.year}年度）" for table in tables)
    return [_file_error(name, f"这是绩效目标表（{names}），不是自评表；请在“绩效目标表”页面的“导入绩效目标表”中导入。")]


def pdf_page_count(data: bytes) -> int | None:
    """How many pages the PDF in `data` has, walking its page tree without laying out any page;
    None when `data` is not a PDF or its page tree cannot be read (the reader then says why)."""
    if not data.startswith(b"%PDF-"):
        return None
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        return sum(1 for _ in PDFPage.create_pages(document))
    except Exception:  # pdfminer raises many kinds on a broken file; the reader reports it in Chinese
        return None


def _file_error(name: str, message: str) -> parsing.FormError:
    return parsing.FormError(name, (0, 0), "", message)
