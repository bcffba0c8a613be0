"""The unit-year tallies the finance bureau's pages sum are kept by every path that changes a form: after each
workflow transition, an entry save, an import (in bulk and one by one), a due date, a deletion, a unit moving
to another department, the stored tallies equal a fresh recount from the forms. A path that forgot to
recount leaves a tally behind and fails here."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from evaluations import entry, tallies, workflow
from evaluations.models import Evaluation, UnitYearTally
from importer import loader, parsing
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status
FIELDS = [*tallies.COUNTS, *tallies.SUMS, "flags", "department_id"]


def stored():
    return {(tally.unit_id, tally.year): {field: getattr(tally, field) for field in FIELDS}
            for tally in UnitYearTally.objects.all()}


def assert_fresh(step):
    kept = stored()
    tallies.recount_all()
    assert kept == stored(), f"after {step} the tallies were not recounted"


def test_every_change_leaves_the_tallies_as_a_fresh_recount_would():
    finance = factory.make_user("finance", "finance")
    last_year = factory.make_evaluation(year=2022, status=Status.APPROVED)
    unit, department = last_year.unit, last_year.department
    staff = factory.make_staff(unit=unit)
    reviewer = factory.make_reviewer(department=department)
    assert_fresh("making last year's form")
    assert UnitYearTally.objects.get(unit=unit, year=2023).missing == 1

    evaluation = entry.start_evaluation(unit, 2023, staff, project=last_year.project)
    assert_fresh("starting this year's form")
    assert UnitYearTally.objects.get(unit=unit, year=2023).missing == 0
    evaluation = entry.save_entry(evaluation, evaluation.version, factory.clean_figures(), "目标", "完成情况", staff)
    assert_fresh("an entry save")

    steps = [
        ("submitting", lambda e: workflow.submit(e, staff)),
        ("returning", lambda e: workflow.return_for_revision(e, reviewer, "请补充")),
        ("resubmitting", lambda e: workflow.submit(e, staff)),
        ("approving", lambda e: workflow.approve(e, reviewer, e.flag_codes.split())),
        ("unapproving", lambda e: workflow.unapprove(e, reviewer, "再看看")),
        ("approving again", lambda e: workflow.approve(e, reviewer, e.flag_codes.split())),
        ("the finance bureau returning it", lambda e: workflow.return_to_department(e, finance, "请核实")),
        ("approving once more", lambda e: workflow.approve(e, reviewer, e.flag_codes.split())),
    ]
    for step, act in steps:
        evaluation = act(evaluation)
        assert_fresh(step)
    assert UnitYearTally.objects.get(unit=unit, year=2023).status_approved == 1

    workflow.set_due_date(department, 2023, date(2023, 1, 1), finance)
    assert_fresh("setting a due date")
    assert UnitYearTally.objects.get(unit=unit, year=2023).late == 1
    workflow.accept_department_year(department, 2023, finance)
    assert_fresh("accepting the department's year")
    workflow.unaccept_department_year(department, 2023, finance, "重新核对")
    assert_fresh("un-accepting it")

    forms, errors = parsing.parse_text(factory.SAMPLE_DUMP.read_text(encoding="utf-8"), "sample.txt")
    assert not errors
    results = list(loader.load_forms(forms))
    assert all(isinstance(result, loader.LoadResult) for _, result in results)
    assert_fresh("an import in bulk")

    form, result = next((form, result) for form, result in results if result.outcome == loader.CREATED)
    imported = result.evaluation
    imported.delete()
    assert_fresh("deleting a form")
    assert loader.load_form(form).outcome == loader.CREATED
    assert_fresh("importing one form on its own")

    moved = imported.unit
    moved.department = factory.make_department("上海市教育委员会")
    moved.save()
    assert_fresh("moving a unit to another department")


def test_the_command_rebuilds_tallies_of_forms_changed_behind_the_apps_back():
    evaluation = factory.make_evaluation(status=Status.SUBMITTED)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.APPROVED)  # as a SQL update would
    assert UnitYearTally.objects.get(unit=evaluation.unit, year=2023).status_approved == 0

    call_command("recount_tallies", "--year", "2023", stdout=StringIO())

    tally = UnitYearTally.objects.get(unit=evaluation.unit, year=2023)
    assert (tally.status_submitted, tally.status_approved) == (0, 1)
