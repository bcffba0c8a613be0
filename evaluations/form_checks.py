"""Checks of a form that need data kept outside it (approved targets, last year's form), by other apps.

Apps above evaluations (targets) register a check here in their AppConfig.ready(); evaluations calls
the registered checks and so never imports upward. A check is an object with:

- flags(evaluation, figures) -> list[scoring.Flag]: flags of the form's `figures` (scoring.FormFigures, as
  stored or about to be), shown beside the form's own and counted with them;
- submission_problems(evaluation) -> list[str]: why staff may not submit yet (Chinese);
- help: {code: flag_help.FlagHelp} for the codes it raises;
- links(evaluation) -> list[(label, url)]: pages of that app about this form (shown on the entry page);
- live_url(evaluation) -> str | None: where the entry page posts its rows (JSON) while staff type, to get
  these flags back at once (static/js/entry-external-checks.js);
- beside(evaluation) -> {indicator position: {column: text}}: context shown beside a row's cells (column is
  "target", "actual", "weight" or "score"), e.g. last year's figure;
- later_forms(evaluations) -> list[Evaluation]: the stored forms whose flags read these evaluations' rows
  (next year's form compares its targets with this year's actuals): rescored when these rows change;
- preloaded(pairs) -> a context manager within which flags() of forms of these (project id, year) pairs
  reads what it needs from memory, loaded for the whole batch at once.
"""

from contextlib import ExitStack, contextmanager

_checks = []


def register(check):
    if check not in _checks:
        _checks.append(check)


def flags(evaluation, figures) -> list:
    """Also for an evaluation not saved yet (the importer scores new forms before it creates them in bulk)."""
    return [flag for check in _checks for flag in check.flags(evaluation, figures)]


@contextmanager
def preloaded(pairs):
    """Score a batch of forms (these (project id, year) pairs) with a few queries per check, not a few per form."""
    with ExitStack() as stack:
        for check in _checks:
            stack.enter_context(check.preloaded(pairs))
        yield


def submission_problems(evaluation) -> list[str]:
    return [problem for check in _checks for problem in check.submission_problems(evaluation)]


def help_for(code: str):
    return next((check.help[code] for check in _checks if code in check.help), None)


def codes() -> list[str]:
    return [code for check in _checks for code in check.help]


def links(evaluation) -> list[tuple[str, str]]:
    return [link for check in _checks for link in check.links(evaluation)]


def beside(evaluation) -> dict[int, dict[str, list[str]]]:
    """{indicator position: {column: [texts]}} from every check."""
    notes: dict[int, dict[str, list[str]]] = {}
    for check in _checks:
        for position, columns in check.beside(evaluation).items():
            for column, text in columns.items():
                notes.setdefault(position, {}).setdefault(column, []).append(text)
    return notes


def live_urls(evaluation) -> list[str]:
    return [url for check in _checks if (url := check.live_url(evaluation))]


def refresh_later_forms(evaluations) -> int:
    """Rescore the stored forms whose flags read the rows of `evaluations`, so their stored flag summary (the
    queues' filters) follows a change of these rows at once; call once the rows are written, in their
    transaction. Returns how many were rescored."""
    later = [form for check in _checks for form in check.later_forms(evaluations)]
    for evaluation in later:
        evaluation.rescore()
    return len(later)
