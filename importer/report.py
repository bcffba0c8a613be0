"""The import report of REPORT-JSON.md, built from parsed forms; plain Python."""

import dataclasses
from decimal import Decimal

from evaluations import scoring
from evaluations.similarity import TextIndex
from importer import vocabulary


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(scoring.CENT))


def _span(span) -> list | None:
    return None if span is None else list(span)


def rules_for(form, rules: scoring.Rules = scoring.DEFAULT_RULES) -> scoring.Rules:
    """The deployment's rules, with those of the form's template family where they differ."""
    profile = next((p for p in vocabulary.PROFILES if p.key == getattr(form, "profile", None)), None)
    return dataclasses.replace(rules, **profile.rules) if profile and profile.rules else rules


def reused_among(forms, rules: scoring.Rules = scoring.DEFAULT_RULES) -> dict:
    """{id(form): its scoring.ReusedText}: W_TEXT_REUSED among the forms read together, for a report that
    does not look into the database (a dry run); an import compares with the stored forms too."""
    index = TextIndex(rules.reuse_min_chars, rules.reuse_similarity)
    texts = {id(form): [(None, form.goal_actual)] + [(p, i.deviation) for p, i in enumerate(form.figures.indicators, 1)]
             for form in forms}
    for form in forms:
        for position, text in texts[id(form)]:
            index.add(text, (id(form), form.department, form.unit, form.project_name, form.year, position))
    labels = {id(form): f"《{form.project_name}》（{form.unit}，{form.year}年度）" for form in forms}
    found = {}
    for form in forms:
        def comparable(source, form=form):
            other, department, unit, project, year, _ = source
            same_project = (unit, project) == (form.unit, form.project_name)
            return other != id(form) and department == form.department and (not same_project or year < form.year)
        matches = ((position, index.most_similar(text, comparable)) for position, text in texts[id(form)])
        found[id(form)] = tuple(
            scoring.ReusedText(position, labels[match.source[0]], match.source[5], match.similarity)
            for position, match in matches if match is not None
        )
    return found


def form_report(form, rules: scoring.Rules = scoring.DEFAULT_RULES, flags: list | None = None, reused=()) -> dict:
    """The report of one form; `flags` are its flags when the caller already computed them with `rules`
    (otherwise they are computed, with `reused` its texts found in other forms)."""
    figures = form.figures
    rules = rules_for(form, rules)
    if flags is None:
        flags = scoring.flags_for(figures, rules, reused=reused)
    computed = scoring.compute(figures, rules)
    return {
        "file": form.file,
        "lines": _span(form.lines),
        "pages": _span(getattr(form, "pages", None)),
        "amount_unit": getattr(form, "amount_unit", "万元"),
        "year": form.year,
        "project_name": form.project_name,
        "department": form.department,
        "unit": form.unit,
        "funding": [
            {
                "kind": line.kind,
                "label": line.shown_label,
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
        "declared": {"total": money(figures.declared_total), "grade": figures.declared_grade or None},
        "computed": {
            "funding_score": money(computed.funding_score),
            "weight_total": money(computed.weight_total),
            "total": money(computed.total),
            "grade": computed.grade,
        },
        "flags": [flag.as_dict() for flag in flags],
        "notes": list(getattr(form, "notes", [])),
    }


def error_report(error) -> dict:
    return {
        "file": error.file, "lines": _span(error.lines), "pages": _span(getattr(error, "pages", None)),
        "project_name": error.project_name, "message": error.message,
    }
