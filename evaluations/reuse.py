"""W_TEXT_REUSED in the database: which texts of a department's forms are nearly another form's.

A form's 偏差原因分析及改进措施 and 实际完成情况 are compared (evaluations.similarity) with the texts of the
department's other projects (any year) and of its own project's earlier years. What is found is stored as
TextReuse rows, so pages and the cached flag summary read it without comparing again; it is found anew
when a form's texts are written (entry, import), together with the forms whose findings that changes.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Length

from evaluations import scoring
from evaluations.models import Evaluation, Indicator, TextReuse, form_label, scoring_rules
from evaluations.similarity import TextIndex


@dataclass(frozen=True)
class Source:
    """Where a text was written: a form (its id, or a key for a form about to be created) and the place in it."""

    evaluation: object
    project_id: int
    year: int
    position: int | None  # indicator; None for 实际完成情况
    label: str  # form_label() of the form


def department_index(department_ids) -> TextIndex:
    """Every text long enough to compare of the departments' forms, in the order they were written."""
    rules = scoring_rules()
    index = TextIndex(rules.reuse_min_chars, rules.reuse_similarity)
    # Lengths counted with white space are at least those counted without: a safe first cut in SQL.
    goals = (
        Evaluation.objects.filter(department__in=department_ids)
        .annotate(length=Length("goal_actual")).filter(length__gte=rules.reuse_min_chars)
        .values_list("goal_actual", "pk", "project_id", "year", "project__name", "unit__name").order_by("pk")
    )
    for text, pk, project_id, year, project, unit in goals:
        index.add(text, Source(pk, project_id, year, None, form_label(project, unit, year)))
    deviations = (
        Indicator.objects.filter(evaluation__department__in=department_ids)
        .annotate(length=Length("deviation")).filter(length__gte=rules.reuse_min_chars)
        .values_list("deviation", "evaluation_id", "evaluation__project_id", "evaluation__year", "position",
                     "evaluation__project__name", "evaluation__unit__name")
        .order_by("evaluation_id", "position")
    )
    for text, pk, project_id, year, position, project, unit in deviations:
        index.add(text, Source(pk, project_id, year, position, form_label(project, unit, year)))
    return index


def _comparable(evaluation_key, project_id, year):
    """Which sources a form may be compared with: another project's, or an earlier year of its own project."""
    def accept(source: Source) -> bool:
        return source.evaluation != evaluation_key and (source.project_id != project_id or source.year < year)
    return accept


def texts_of(goal_actual: str, figures: scoring.FormFigures):
    """(position or None, text) of every text of a form that is compared."""
    return [(None, goal_actual)] + [(p, i.deviation) for p, i in enumerate(figures.indicators, start=1)]


def find(index: TextIndex, evaluation_key, project_id, year, texts) -> list[tuple[int | None, Source, object]]:
    """(position, the source it resembles, similarity) for each text of a form that resembles another form's."""
    accept = _comparable(evaluation_key, project_id, year)
    found = []
    for position, text in texts:
        match = index.most_similar(text, accept)
        if match is not None:
            found.append((position, match.source, match.similarity))
    return found


def as_reused_texts(found) -> tuple:
    return tuple(scoring.ReusedText(position, source.label, source.position, similarity)
                 for position, source, similarity in found)


def _rows(evaluation_id, found, ids=None):
    ids = ids or {}
    return [
        TextReuse(evaluation_id=evaluation_id, position=position, similar_to_id=ids.get(source.evaluation, source.evaluation),
                  similar_position=source.position, similarity=similarity)
        for position, source, similarity in found
    ]


def store(found_by_evaluation: dict, ids=None):
    """Replace the findings of these evaluations ({evaluation id: found}); `ids` maps keys of forms created
    meanwhile to their ids."""
    TextReuse.objects.filter(evaluation__in=found_by_evaluation).delete()
    TextReuse.objects.bulk_create(
        [row for pk, found in found_by_evaluation.items() for row in _rows(pk, found, ids)], batch_size=2000)


def _evaluation_texts(pks):
    """{evaluation id: (project id, year, [(position, text)])} from the database."""
    evaluations = Evaluation.objects.filter(pk__in=pks).prefetch_related("indicators").only(
        "pk", "project_id", "year", "goal_actual")
    return {e.pk: (e.project_id, e.year, [(None, e.goal_actual)] + [(i.position, i.deviation) for i in e.indicators.all()])
            for e in evaluations}


def refresh_partners(index: TextIndex, changed: set, found_by_evaluation: dict, ids=None):
    """After the forms `changed` were (re)written and their findings `found_by_evaluation` stored: find anew the
    forms whose findings named one of them, and give a finding to each form one of them resembles that has
    none at that place yet (another project's form resembles them back). Their flag summaries follow.
    `ids` maps the keys of forms created meanwhile (sources in `index`) to their ids."""
    pointing = set(TextReuse.objects.filter(similar_to__in=changed).exclude(evaluation__in=changed)
                   .values_list("evaluation_id", flat=True))
    resembled = {(source.evaluation, source.position) for found in found_by_evaluation.values()
                 for _, source, _ in found if source.evaluation not in changed}
    have = set(TextReuse.objects.filter(evaluation__in={pk for pk, _ in resembled})
               .values_list("evaluation_id", "position"))
    partners = pointing | {pk for pk, position in resembled - have}
    if not partners:
        return
    before = _finding_counts(partners)
    texts = _evaluation_texts(partners)
    found = {pk: find(index, pk, project_id, year, pairs) for pk, (project_id, year, pairs) in texts.items()}
    store(found, ids)
    recount = [pk for pk in partners if len(found.get(pk, ())) != before.get(pk, 0)]
    for evaluation in Evaluation.objects.filter(pk__in=recount).prefetch_related("funding_lines", "indicators"):
        evaluation.rescore()


def _finding_counts(pks) -> dict:
    return dict(TextReuse.objects.filter(evaluation__in=pks).values_list("evaluation_id").annotate(n=Count("pk"))
                .values_list("evaluation_id", "n"))


def refresh(evaluation, figures: scoring.FormFigures | None = None) -> None:
    """Find anew what the (just written) texts of `evaluation` resemble, and follow up its partners.
    Call inside the transaction that wrote the texts, before rescore()."""
    figures = figures or evaluation.figures()
    index = department_index([evaluation.department_id])
    found = {evaluation.pk: find(index, evaluation.pk, evaluation.project_id, evaluation.year,
                                 texts_of(evaluation.goal_actual, figures))}
    store(found)
    refresh_partners(index, {evaluation.pk}, found)
