"""Target tables as a kind of document of the import pipeline (importer.documents): read by
importer.target_reader in the task, previewed with what targets.workflow.import_table would do, written by it."""

from importer import documents, target_reader
from importer.target_reader import ParsedTargetTable
from targets import access, workflow


def preview(tables) -> list[dict]:
    rows = []
    for table in tables:
        outcome = workflow.import_outcome(table)
        rows.append({
            "report": {
                "file": table.file, "lines": table.lines, "pages": table.pages, "project_name": table.project_name,
                "unit": table.unit, "year": table.year, "indicators": len(table.indicators),
                "weight_total": str(sum(row.weight for row in table.indicators)), "notes": table.notes,
            },
            "outcome": outcome.outcome, "message": outcome.message,
        })
    return rows


def write(tables, user):
    for table in tables:
        try:
            result = workflow.import_table(table, user, table.source)
        except Exception as exc:  # a failed write costs only its own table
            yield table, exc
        else:
            yield table, {"outcome": result.outcome, "message": result.message,
                          "written": result.table.pk if result.table else None}


TARGET_TABLES = documents.DocumentKind(
    key="targets", name="绩效目标表", document_type=ParsedTargetTable, read_file=target_reader.parse_file,
    indicator_count=lambda table: len(table.indicators), preview=preview, write=write,
    visible_written=access.visible_tables, written_url="target_table",
    upload_url="import_target_tables", preview_rows_template="targets/_import_rows.html",
)
