"""The import report of REPORT-JSON.md, built from parsed forms; plain Python."""

from decimal import Decimal

from evaluations import scoring


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(scoring.CENT))


def form_report(form, rules: scoring.Rules = scoring.DEFAULT_RULES, flags: list | None = None) -> dict:
    """The report of one form; `flags` are its flags when the caller already computed them with `rules`."""
    figures = form.figures
    if flags is None:
        flags = scoring.flags_for(figures, rules)
    computed = scoring.compute(figures, rules)
    return {
        "file": form.file,
        "lines": list(form.lines),
        "year": form.year,
        "project_name": form.project_name,
        "department": form.department,
        "unit": form.unit,
        "funding": [
            {
                "kind": line.kind,
                "budget_initial": money(line.budget_initial),
                "budget_full_year": money(line.budget_full_year),
                "executed": money(line.executed),
                "weight": money(line.weight),
                "rate": money(line.rate),
                "score": money(line.score),
            }
            for line in figures.funding
        ],
        "goal_expected": form.goal_expected,
        "goal_actual": form.goal_actual,
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": i.target,
                "actual": i.actual,
                "weight": money(i.weight),
                "score": money(i.score),
                "deviation": i.deviation,
            }
            for i in figures.indicators
        ],
        "declared": {"total": money(figures.declared_total), "grade": figures.declared_grade},
        "computed": {
            "funding_score": money(computed.funding_score),
            "weight_total": money(computed.weight_total),
            "total": money(computed.total),
            "grade": computed.grade,
        },
        "flags": [flag.as_dict() for flag in flags],
    }


def error_report(error) -> dict:
    return {"file": error.file, "lines": list(error.lines), "project_name": error.project_name, "message": error.message}
