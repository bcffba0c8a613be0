"""Self-evaluation forms as a kind of document of the import pipeline (importer.documents): how they are read,
previewed and written."""

from evaluations.access import visible_evaluations
from evaluations.models import scoring_rules
from importer import documents, loader, parsing, staging
from importer.report import form_report, reused_among


def preview(forms) -> list[dict]:
    rules = scoring_rules()
    reused = reused_among(forms, rules)  # texts the forms read together share (W_TEXT_REUSED)
    checked = loader.checks_beyond_the_form(forms)
    rows = []
    for form in forms:
        outcome = loader.predict(form)
        report = form_report(form, rules, reused=reused[id(form)])
        report["flags"] += [flag.as_dict() for flag in checked.get(id(form), [])]
        rows.append({
            "report": report, "outcome": outcome,
            "message": loader.refusal_message(form) if outcome == loader.REFUSED else "",
        })
    return rows


def write(forms, user):
    for form, result in loader.load_forms(forms, user):
        if isinstance(result, Exception):
            yield form, result
        else:
            yield form, {"outcome": result.outcome, "message": result.message,
                         "written": result.evaluation.pk if result.evaluation else None}


FORMS = documents.DocumentKind(
    key="forms", name="自评表", document_type=parsing.ParsedForm, read_file=staging.read_forms,
    indicator_count=lambda form: len(form.figures.indicators), preview=preview, write=write,
    visible_written=visible_evaluations,
    written_url="evaluation_detail", upload_url="import_upload", preview_rows_template="importer/_form_rows.html",
)
