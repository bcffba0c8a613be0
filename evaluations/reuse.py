"""W_TEXT_REUSED in the database: which texts of a department's forms are nearly another form's.

A form's 偏差原因分析及改进措施 and 实际完成情况 are compared (evaluations.similarity) with the texts of the
department's other projects (any year) and of its own project's earlier years. What is found is stored as
TextReuse rows, so pages and the cached flag summary read it without comparing again. It is found anew when
a form's texts are written: one form at a time (entry, an updating import) against the comparable texts read
from the database, or a whole import batch at once through a TextIndex kept for the run.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Length

from evaluations import scoring
from evaluations.models import Evaluation, Indicator, TextReuse, form_label, scoring_rules
from evaluations.similarity import Choices, TextIndex, normalized, similarity


@dataclass(frozen=True)
class Source:
    """Where a text was written: a form (its id, or a key for a form about to be created) and the place in it."""

    evaluation: object
    department_id: int
    project_id: int
    year: int
    position: int | None  # indicator; None for 实际完成情况
    label: str  # form_label() of the form


def texts_of(goal_actual: str, figures: scoring.FormFigures):
    """(position or None, text) of every text of a form that is compared."""
    return [(None, goal_actual)] + [(p, i.deviation) for p, i in enumerate(figures.indicators, start=1)]


def as_reused_texts(found) -> tuple:
    return tuple(scoring.ReusedText(position, source.label, source.position, percent)
                 for position, source, percent in found)


# --- One form against the database ----------------------------------------------------------------

def _comparable_with(evaluation) -> Q:
    """Forms a form may be compared with: its department's other projects, and its own project's earlier years."""
    return (Q(department_id=evaluation.department_id)
            & (~Q(project_id=evaluation.project_id) | Q(year__lt=evaluation.year)))


def find_in_database(evaluation, figures: scoring.FormFigures, only=None) -> list:
    """(position, Source, similarity) for each text of `evaluation` (at the positions `only`, when given) that
    resembles one of a comparable form. Reads the comparable texts once and compares in rapidfuzz; the forms
    that wrote the resembled texts are read afterwards, for those texts only."""
    rules = scoring_rules()
    mine = [(position, normalized(text)) for position, text in texts_of(evaluation.goal_actual, figures)
            if only is None or position in only]
    mine = [(position, text) for position, text in mine if len(text) >= rules.reuse_min_chars]
    if not mine:
        return []
    comparable = Evaluation.objects.filter(_comparable_with(evaluation))
    # Only texts of a length that can reach the threshold with one of ours are read. Lengths in SQL count
    # white space, which normalised texts do not: a text with white space in it is read whatever its length.
    threshold = rules.reuse_similarity
    least = max(rules.reuse_min_chars, int(min(len(text) for _, text in mine) * threshold / (200 - threshold)))
    most = int(max(len(text) for _, text in mine) * (200 - threshold) / threshold) + 1

    def in_reach(field):
        return Q(n__gte=least) & (Q(n__lte=most) | Q(**{f"{field}__regex": r"\s"}))

    # Duplicates are dropped here rather than by DISTINCT, which would sort every text in the database.
    goals = set(comparable.annotate(n=Length("goal_actual")).filter(in_reach("goal_actual"))
                .values_list("goal_actual", flat=True).order_by())
    deviations = set(Indicator.objects.filter(evaluation__in=comparable).annotate(n=Length("deviation"))
                     .filter(in_reach("deviation")).values_list("deviation", flat=True).order_by())
    written = {}  # normalised text → (is a goal, as written)
    for text in deviations:
        written.setdefault(normalized(text), (False, text))
    for text in goals:
        written.setdefault(normalized(text), (True, text))
    choices = Choices(written)
    matches = {}
    for position, text in mine:
        match = choices.best_match(text, rules.reuse_similarity)
        if match is not None:
            matches[position] = match
    if not matches:
        return []
    sources = _sources_of(comparable, {written[choice] for choice, _ in matches.values()})
    return [(position, sources[written[choice]], percent) for position, (choice, percent) in matches.items()]


def _sources_of(comparable, texts) -> dict:
    """{(is a goal, text): the first Source that wrote it} among the comparable forms."""
    sources = {}
    goals = [text for is_goal, text in texts if is_goal]
    deviations = [text for is_goal, text in texts if not is_goal]
    for text, pk, department, project_id, year, project, unit in (
        comparable.filter(goal_actual__in=goals).order_by("pk")
        .values_list("goal_actual", "pk", "department_id", "project_id", "year", "project__name", "unit__name")
    ):
        sources.setdefault((True, text), Source(pk, department, project_id, year, None, form_label(project, unit, year)))
    for text, pk, department, project_id, year, position, project, unit in (
        Indicator.objects.filter(evaluation__in=comparable, deviation__in=deviations).order_by("evaluation_id", "position")
        .values_list("deviation", "evaluation_id", "evaluation__department_id", "evaluation__project_id",
                     "evaluation__year", "position", "evaluation__project__name", "evaluation__unit__name")
    ):
        sources.setdefault((False, text), Source(pk, department, project_id, year, position,
                                                 form_label(project, unit, year)))
    return sources


# --- Many forms at once (an import) ----------------------------------------------------------------

def department_index(department_ids, index: TextIndex | None = None) -> TextIndex:
    """Every text long enough to compare of the departments' forms, in the order they were written
    (added to `index` when given)."""
    rules = scoring_rules()
    if index is None:
        index = TextIndex(rules.reuse_min_chars, rules.reuse_similarity)
    goals = (
        Evaluation.objects.filter(department__in=department_ids)
        .annotate(n=Length("goal_actual")).filter(n__gte=rules.reuse_min_chars)
        .values_list("goal_actual", "pk", "department_id", "project_id", "year", "project__name", "unit__name")
        .order_by("pk")
    )
    for text, pk, department, project_id, year, project, unit in goals:
        index.add(text, Source(pk, department, project_id, year, None, form_label(project, unit, year)))
    deviations = (
        Indicator.objects.filter(evaluation__department__in=department_ids)
        .annotate(n=Length("deviation")).filter(n__gte=rules.reuse_min_chars)
        .values_list("deviation", "evaluation_id", "evaluation__department_id", "evaluation__project_id",
                     "evaluation__year", "position", "evaluation__project__name", "evaluation__unit__name")
        .order_by("evaluation_id", "position")
    )
    for text, pk, department, project_id, year, position, project, unit in deviations:
        index.add(text, Source(pk, department, project_id, year, position, form_label(project, unit, year)))
    return index


def find_in_index(index: TextIndex, evaluation_key, department_id, project_id, year, texts) -> list:
    """(position, Source, similarity) for each text of a form that resembles a comparable form's in `index`."""
    def comparable(source: Source) -> bool:
        return (source.evaluation != evaluation_key and source.department_id == department_id
                and (source.project_id != project_id or source.year < year))

    found = []
    for position, text in texts:
        match = index.most_similar(text, comparable)
        if match is not None:
            found.append((position, match.source, match.similarity))
    return found


class ImportRun:
    """W_TEXT_REUSED for the new forms of an import, batch after batch: each department's stored texts are
    read into one index once, and each batch's texts are added as the batch is written. Forms not created
    yet are known by keys until `created` learns their ids."""

    def __init__(self):
        rules = scoring_rules()
        self.index = TextIndex(rules.reuse_min_chars, rules.reuse_similarity)
        self.departments = set()
        self.ids = {}
        self._keys = 0

    def find(self, forms) -> list:
        """For `forms` [(department id, project id, year, label, texts)]: their keys, and for each what it
        resembles among the stored forms, the forms of earlier batches and each other."""
        new_departments = {department for department, *_ in forms} - self.departments
        if new_departments:
            department_index(new_departments, self.index)
            self.departments |= new_departments
        keys = []
        for department, project_id, year, label, texts in forms:
            self._keys += 1
            keys.append(("new", self._keys))
            for position, text in texts:
                self.index.add(text, Source(keys[-1], department, project_id, year, position, label))
        found = [find_in_index(self.index, key, department, project_id, year, texts)
                 for key, (department, project_id, year, _, texts) in zip(keys, forms)]
        return keys, found

    def created(self, keys, evaluations, forms, found):
        """Store the findings of the batch just written and bring the other side along."""
        self.ids.update((key, evaluation.pk) for key, evaluation in zip(keys, evaluations))
        store({evaluation.pk: form_found for evaluation, form_found in zip(evaluations, found)}, self.ids)
        follow_up({evaluation.pk: (project_id, dict(texts), form_found)
                   for evaluation, (_, project_id, _, _, texts), form_found in zip(evaluations, forms, found)}, self.ids)


# --- Storing, and the forms on the other side -------------------------------------------------------

def store(found_by_evaluation: dict, ids=None):
    """Replace the findings of these evaluations ({evaluation id: found}); `ids` maps keys of forms created
    meanwhile to their ids."""
    ids = ids or {}
    TextReuse.objects.filter(evaluation__in=found_by_evaluation).delete()
    TextReuse.objects.bulk_create([
        TextReuse(evaluation_id=pk, position=position, similar_to_id=ids.get(source.evaluation, source.evaluation),
                  similar_position=source.position, similarity=percent)
        for pk, found in found_by_evaluation.items() for position, source, percent in found
    ], batch_size=2000)


def _texts_at(places) -> dict:
    """{(evaluation id, position or None): text} for the places (evaluation id, position) asked for."""
    pks = {pk for pk, _ in places}
    texts = {(pk, None): text for pk, text in Evaluation.objects.filter(pk__in=pks).values_list("pk", "goal_actual")}
    texts.update({(pk, position): text for pk, position, text in Indicator.objects.filter(evaluation__in=pks)
                  .values_list("evaluation_id", "position", "deviation")})
    return texts


def follow_up(changed: dict, ids=None):
    """After the forms of `changed` ({id: (project id, {position: text}, found)}) had their texts written and
    their findings stored, bring the other side along:

    - a finding of another form that names one of them is dropped when the text it named no longer
      resembles it (the other form looks for another match when its own texts are next written);
    - a form of another project that one of them resembles, and that has no finding at that place yet,
      is given one naming it back (similarity is symmetric).
    Forms whose number of findings changed are rescored.
    """
    ids = ids or {}
    rules = scoring_rules()
    touched = set()
    pointing = list(TextReuse.objects.filter(similar_to__in=changed).exclude(evaluation__in=changed))
    theirs = _texts_at({(row.evaluation_id, row.position) for row in pointing})
    gone = []
    for row in pointing:
        mine = normalized(changed[row.similar_to_id][1].get(row.similar_position) or "")
        if len(mine) < rules.reuse_min_chars or similarity(
                normalized(theirs.get((row.evaluation_id, row.position), "")), mine) < rules.reuse_similarity:
            gone.append(row.pk)
            touched.add(row.evaluation_id)
    TextReuse.objects.filter(pk__in=gone).delete()
    back = {}
    for pk, (project_id, _, found) in changed.items():
        for position, source, percent in found:
            other = ids.get(source.evaluation, source.evaluation)
            if other not in changed and source.project_id != project_id:
                back.setdefault((other, source.position), (pk, position, percent))
    have = set(TextReuse.objects.filter(evaluation__in={other for other, _ in back})
               .values_list("evaluation_id", "position"))
    TextReuse.objects.bulk_create([
        TextReuse(evaluation_id=other, position=position, similar_to_id=pk, similar_position=my_position,
                  similarity=percent)
        for (other, position), (pk, my_position, percent) in back.items() if (other, position) not in have
    ])
    touched |= {other for (other, position) in back if (other, position) not in have}
    for evaluation in Evaluation.objects.filter(pk__in=touched).prefetch_related("funding_lines", "indicators"):
        evaluation.rescore()


def refresh(evaluation, figures: scoring.FormFigures | None = None, before: dict | None = None) -> None:
    """Find anew what the (just written) texts of `evaluation` resemble, store it and bring the other side
    along. `before` ({position: text} as the texts were, when the caller knows) limits the search to the
    texts that changed; the findings of the others stay. Call inside the transaction that wrote the texts,
    before rescore()."""
    figures = figures or evaluation.figures()
    texts = dict(texts_of(evaluation.goal_actual, figures))
    if before is None:
        changed = None
    else:
        changed = {position for position in set(texts) | set(before)
                   if normalized(texts.get(position) or "") != normalized(before.get(position) or "")}
        if not changed:
            return
    found = find_in_database(evaluation, figures, changed)
    if changed is None:
        store({evaluation.pk: found})
    else:
        places = Q(position__in=[position for position in changed if position is not None])
        if None in changed:
            places |= Q(position__isnull=True)
        TextReuse.objects.filter(places, evaluation=evaluation).delete()
        TextReuse.objects.bulk_create(
            TextReuse(evaluation=evaluation, position=position, similar_to_id=source.evaluation,
                      similar_position=source.position, similarity=percent)
            for position, source, percent in found
        )
    follow_up({evaluation.pk: (evaluation.project_id, texts, found)})
