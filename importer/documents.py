"""The kinds of document an upload may hold, each read and written its own way through the one import pipeline.

An upload (importer.models.StagedImport) names its kind; the task reads its files once with the kind's reader,
the preview shows what the kind predicts, and the confirmation writes with the kind's writer. importer's own kind
is the self-evaluation form (importer.form_import); apps above importer (targets) register theirs in their
AppConfig.ready(), so importer never imports upward. A kind is a DocumentKind.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    key: str  # kept on StagedImport.kind
    name: str  # what one document is called on the pages: 自评表, 绩效目标表
    document_type: type  # the dataclass the reader returns, stored between reading and writing (importer.stored)
    # (data, file name) -> (documents, parsing.FormError list); raises parsing.ParseError on a file it cannot open.
    read_file: Callable
    indicator_count: Callable  # document -> how many indicator rows it has, for the limit per document
    # (documents) -> a dict per document: {"report": what the preview shows, "outcome": importer.loader's
    # CREATED / UPDATED / UNCHANGED / REFUSED as the write would do now, "message": why refused}. Writes nothing.
    preview: Callable
    # (documents, user) -> (document, {"outcome", "message", "written": pk or None} or the exception that
    # kept it out) for each document, in order; each document lands whole or not at all.
    write: Callable
    # user -> the queryset of written documents `user` may see: the result page links to those.
    visible_written: Callable
    written_url: str  # URL name of a written document's page, taking its id
    upload_url: str  # URL name of the kind's upload page
    preview_rows_template: str  # the rows of the preview table, for the kind's report


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    _kinds[kind.key] = kind


def get(key: str) -> DocumentKind:
    return _kinds[key]
