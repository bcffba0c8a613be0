"""Write parsed forms into the database; each form lands whole or not at all."""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from evaluations import form_checks, reuse, scoring, tallies, workflow
from evaluations.models import Department, Evaluation, FundingLine, Indicator, Project, Unit, WorkflowEvent, form_label
from importer.bulk import insert_with_history

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
OUTCOME_LABELS = {CREATED: "新建", UPDATED: "更新", UNCHANGED: "未变", REFUSED: "拒绝"}

# A form in the reviewer's hands (submitted) or approved is not the importer's to change: an import may
# only create forms and update those still in staff's hands, whose status it keeps.
UPDATABLE_STATUSES = (Evaluation.Status.DRAFT, Evaluation.Status.RETURNED)
REFUSAL_REASONS = {
    Evaluation.Status.SUBMITTED: "已提交、正在审核，不能用导入修改；如需修改请审核人先退回。",
    Evaluation.Status.APPROVED: "已审核通过，不能用导入覆盖；如需修改请先撤销审核。",
    Evaluation.Status.ACCEPTED: "财政局已接收，不能用导入覆盖。",
}


@dataclass
class LoadResult:
    outcome: str
    evaluation: Evaluation | None
    message: str = ""
    flags: list | None = None  # the form's flags when the load computed them, so a report need not again


def _find(form, lock=False) -> Evaluation | None:
    evaluations = Evaluation.objects.filter(
        project__unit__department__name=form.department,
        project__unit__name=form.unit,
        project__name=form.project_name,
        year=form.year,
    ).prefetch_related("funding_lines", "indicators")
    if lock:
        evaluations = evaluations.select_for_update(of=("self",))
    return evaluations.first()


def storable_figures(figures: scoring.FormFigures) -> scoring.FormFigures:
    """The figures as the database holds them: amounts in 万元 to the cent, rounded half up as the
    report prints them (a form may print 89.974); a figure not printed stays None."""
    def cents(amount):
        return None if amount is None else amount.quantize(scoring.CENT, rounding=ROUND_HALF_UP)

    funding = [replace(line, **{name: cents(getattr(line, name)) for name in FundingLine.AMOUNTS})
               for line in figures.funding]
    return replace(figures, funding=funding)


def _outcome(form, evaluation) -> str:
    if evaluation is None:
        return CREATED
    stored = (evaluation.stored_figures(), evaluation.goal_expected, evaluation.goal_actual, evaluation.has_deviation_column)
    if stored == (storable_figures(form.figures), form.goal_expected, form.goal_actual, form.has_deviation_column):
        return UNCHANGED
    if evaluation.status not in UPDATABLE_STATUSES:
        return REFUSED
    return UPDATED


def predict(form) -> str:
    """What load_form would do with this form now, without writing anything."""
    return _outcome(form, _find(form))


def checks_beyond_the_form(forms) -> dict[int, list]:
    """{id(form): flags} of the checks registered with evaluations.form_checks (approved targets, last year's
    form) for the forms of projects already stored: what the load will flag beyond the form's own figures.
    A form of a new project has nothing to be compared with."""
    projects = {
        (project.unit.department.name, project.unit.name, project.name): project
        for project in Project.objects.filter(name__in={form.project_name for form in forms}).select_related("unit__department")
    }
    found = {}
    for form in forms:
        project = projects.get((form.department, form.unit, form.project_name))
        if project is not None:
            # The stored evaluation when there is one, so its stated reasons for departing from the targets count.
            evaluation = _find(form) or Evaluation(project=project, year=form.year)
            found[id(form)] = form_checks.flags(evaluation, storable_figures(form.figures))
    return found


def refusal_message(form, evaluation=None) -> str:
    """Why the import may not change the stored evaluation of `form`."""
    evaluation = evaluation or _find(form)
    return f"{form.project_name}（{form.year}年度）{REFUSAL_REASONS[evaluation.status]}"


def load_form(form, user=None) -> LoadResult:
    """Create or update the evaluation of one parsed form; declared figures are stored as printed (a
    figure the form does not print stays empty, a funding row keeps its printed label)."""
    try:
        return _load_form(form, user)
    except IntegrityError:
        # The same new form was created by another import at the same moment; its evaluation is
        # committed now, so load over it (usually: unchanged). Any other integrity error fails again.
        return _load_form(form, user)


@transaction.atomic
@tallies.deferred()  # its unit-years recounted once, when the form is written
def _load_form(form, user) -> LoadResult:
    evaluation = _find(form, lock=True)
    outcome = _outcome(form, evaluation)
    if outcome == UNCHANGED:
        return LoadResult(outcome, evaluation)
    if outcome == REFUSED:
        return LoadResult(outcome, evaluation, refusal_message(form, evaluation))
    if evaluation is None:
        department, _ = Department.objects.get_or_create(name=form.department)
        unit, _ = Unit.objects.get_or_create(department=department, name=form.unit)
        project, _ = Project.objects.get_or_create(unit=unit, name=form.project_name)
        evaluation = Evaluation(project=project, year=form.year, source=Evaluation.Source.IMPORT)
        # New forms were handed in on paper: they arrive as submitted, ready for review.
        evaluation.status, evaluation.submitted_at = Evaluation.Status.SUBMITTED, timezone.now()
        previous_status = ""
    else:
        # A draft or returned form stays in staff's hands: they submit it under the entry page's rules.
        previous_status = evaluation.status
        evaluation.version += 1
    texts_before = dict(reuse.texts_of(evaluation.goal_actual, evaluation.figures())) if evaluation.pk else {}
    evaluation.goal_expected = form.goal_expected
    evaluation.goal_actual = form.goal_actual
    evaluation.has_deviation_column = form.has_deviation_column
    evaluation._history_user = user
    if evaluation.pk is None:
        evaluation.save()
    figures = storable_figures(form.figures)
    evaluation.replace_figures(figures, user)
    reuse.refresh(evaluation, figures, texts_before)
    flags = evaluation.rescore(save=False, figures=figures)
    evaluation.save()
    workflow.record(evaluation, WorkflowEvent.Action.IMPORT, user, previous_status, _event_comment(outcome, form))
    return LoadResult(outcome, evaluation, flags=flags)


def _event_comment(outcome, form) -> str:
    span, unit = (form.lines, "行") if form.lines is not None else (form.pages, "页")
    return f"{OUTCOME_LABELS[outcome]}：{form.file} 第 {span[0]}–{span[1]} {unit}"


def _key(form):
    return (form.department, form.unit, form.project_name, form.year)


def load_forms(forms, user=None, batch_size=500):
    """Load many forms; yields (form, LoadResult or the exception that kept it out), in order.

    Forms that are new are written in bulk, a batch per transaction; should a batch fail, each of
    its forms is loaded again on its own, so a broken form costs only itself. Forms that already
    exist (or repeat within a batch) go through load_form one by one.
    """
    run = reuse.ImportRun()
    for start in range(0, len(forms), batch_size):
        batch = forms[start:start + batch_size]
        new = _new_forms(batch)
        created = {}
        if new:
            try:
                with transaction.atomic(), tallies.deferred():
                    created = dict(zip(map(id, new), _create_in_bulk(new, user, run)))
            except Exception:  # the batch is rolled back; every form gets its own try below
                created = {}
                run = reuse.ImportRun()  # its texts were never written
        for form in batch:
            if id(form) in created:
                evaluation, flags = created[id(form)]
                yield form, LoadResult(CREATED, evaluation, flags=flags)
                continue
            try:
                yield form, load_form(form, user)
            except Exception as exc:
                yield form, exc


def _new_forms(batch):
    """The forms of `batch` whose evaluation does not exist yet, each key once."""
    existing = set(
        Evaluation.objects.filter(
            year__in={f.year for f in batch}, project__name__in={f.project_name for f in batch}
        ).values_list("project__unit__department__name", "project__unit__name", "project__name", "year")
    )
    new, seen = [], set(existing)
    for form in batch:
        if _key(form) not in seen:
            seen.add(_key(form))
            new.append(form)
    return new


def _get_or_create_all(model, wanted: dict, make):
    """{key: row} for every key of `wanted`, creating the missing rows in one insert."""
    rows = {key: row for key, row in wanted.items() if row is not None}
    missing = [key for key, row in wanted.items() if row is None]
    if missing:
        for key, row in zip(missing, model.objects.bulk_create([make(key) for key in missing])):
            rows[key] = row
    return rows


def _create_in_bulk(forms, user, run):
    """Create the evaluations of `forms` (all new) with their rows, history and import events;
    returns (evaluation, flags) for each form."""
    departments = {d.name: d for d in Department.objects.filter(name__in={f.department for f in forms})}
    departments = _get_or_create_all(
        Department, {f.department: departments.get(f.department) for f in forms}, lambda name: Department(name=name)
    )
    units = {(u.department_id, u.name): u for u in Unit.objects.filter(department__in=departments.values())}
    units = _get_or_create_all(
        Unit,
        {(departments[f.department].pk, f.unit): units.get((departments[f.department].pk, f.unit)) for f in forms},
        lambda key: Unit(department_id=key[0], name=key[1]),
    )

    def unit_of(form):
        return units[(departments[form.department].pk, form.unit)]

    projects = {(p.unit_id, p.name): p for p in Project.objects.filter(unit__in={unit_of(f).pk for f in forms})}
    projects = _get_or_create_all(
        Project,
        {(unit_of(f).pk, f.project_name): projects.get((unit_of(f).pk, f.project_name)) for f in forms},
        lambda key: Project(unit_id=key[0], name=key[1]),
    )
    # The batch's texts are compared with the stored forms, earlier batches' and each other's before anything
    # is written, so each new form is inserted with its W_TEXT_REUSED findings counted.
    about = [
        (departments[f.department].pk, projects[(unit_of(f).pk, f.project_name)].pk, f.year,
         form_label(f.project_name, f.unit, f.year), reuse.texts_of(f.goal_actual, f.figures))
        for f in forms
    ]
    keys, found = run.find(about)
    evaluations, flags, now = [], [], timezone.now()
    stored = {id(form): storable_figures(form.figures) for form in forms}
    pairs = {(projects[(unit_of(f).pk, f.project_name)].pk, f.year) for f in forms}
    with form_checks.preloaded(pairs):  # approved targets and last years' forms: a few queries for the batch
        for form, form_found in zip(forms, found):
            evaluation = Evaluation(
                project=projects[(unit_of(form).pk, form.project_name)], unit=unit_of(form),
                department=departments[form.department],
                year=form.year, source=Evaluation.Source.IMPORT,
                status=Evaluation.Status.SUBMITTED, submitted_at=now, goal_expected=form.goal_expected,
                goal_actual=form.goal_actual,
                has_deviation_column=form.has_deviation_column, declared_total=form.figures.declared_total,
                declared_grade=form.figures.declared_grade,
            )
            reused = reuse.as_reused_texts(form_found)
            flags.append(evaluation.rescore(save=False, figures=stored[id(form)], reused=reused))
            evaluations.append(evaluation)
    evaluations = bulk_create_with_history(evaluations, Evaluation, default_user=user)
    funding, indicators, events = [], [], []
    for form, evaluation in zip(forms, evaluations):
        funding += [FundingLine.values_from_figures(evaluation, line, position)
                    for position, line in enumerate(stored[id(form)].funding, start=1)]
        indicators += [
            Indicator.values_from_figures(evaluation, position, indicator)
            for position, indicator in enumerate(form.figures.indicators, start=1)
        ]
        events.append(WorkflowEvent(
            evaluation=evaluation, action=WorkflowEvent.Action.IMPORT, to_status=evaluation.status, actor=user,
            comment=_event_comment(CREATED, form),
        ))
    insert_with_history(FundingLine, funding, user)
    insert_with_history(Indicator, indicators, user)
    WorkflowEvent.objects.bulk_create(events, batch_size=2000)
    form_checks.refresh_later_forms(evaluations)
    tallies.created_in_bulk(evaluations)
    run.created(keys, evaluations, about, found)
    return list(zip(evaluations, flags))
