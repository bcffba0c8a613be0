"""Checks of a form that need data kept outside it (approved targets, last year's form), by other apps.

Apps above evaluations (targets) register a check here in their AppConfig.ready(); evaluations calls
the registered checks and so never imports upward. A check is an object with:

- flags(evaluation, figures) -> list[scoring.Flag]: flags of the form's `figures` (scoring.FormFigures, as
  stored or about to be), shown beside the form's own and counted with them;
- submission_problems(evaluation) -> list[str]: why staff may not submit yet (Chinese);
- help: {code: flag_help.FlagHelp} for the codes it raises;
- links(evaluation) -> list[(label, url)]: pages of that app about this form (shown on the entry page);
- beside(evaluation) -> {indicator position: text}: context shown beside each row on the review page.
"""

_checks = []


def register(check):
    if check not in _checks:
        _checks.append(check)


def flags(evaluation, figures) -> list:
    """Also for an evaluation not saved yet (the importer scores new forms before it creates them in bulk)."""
    return [flag for check in _checks for flag in check.flags(evaluation, figures)]


def submission_problems(evaluation) -> list[str]:
    return [problem for check in _checks for problem in check.submission_problems(evaluation)]


def help_for(code: str):
    return next((check.help[code] for check in _checks if code in check.help), None)


def codes() -> list[str]:
    return [code for check in _checks for code in check.help]


def links(evaluation) -> list[tuple[str, str]]:
    return [link for check in _checks for link in check.links(evaluation)]


def beside(evaluation) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {}
    for check in _checks:
        for position, text in check.beside(evaluation).items():
            notes.setdefault(position, []).append(text)
    return notes
