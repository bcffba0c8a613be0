"""An evaluation's stored unit and department are its project's, however the evaluation was made and
wherever its unit moves (a project with evaluations does not move: see
test_security_a_project_with_evaluations_stays_in_its_unit); reviewers see exactly their department's forms. Its stored
funding totals are those of its total funding line."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import Evaluation, FundingLine
from importer import loader, parsing
from tests import factory

pytestmark = pytest.mark.django_db


def test_a_new_evaluation_takes_its_projects_unit_and_department():
    evaluation = factory.make_evaluation()
    assert evaluation.unit == evaluation.project.unit
    assert evaluation.department == evaluation.project.unit.department


def test_imported_evaluations_take_their_projects_department_in_bulk_and_one_by_one():
    forms, errors = parsing.parse_bytes(factory.SAMPLE_DUMP.read_bytes(), factory.SAMPLE_DUMP.name)
    assert not errors
    results = list(loader.load_forms(forms[:4]))
    results += [(form, loader.load_form(form)) for form in forms[4:]]
    assert len(results) == len(forms) == Evaluation.objects.count()
    for evaluation in Evaluation.objects.select_related("project__unit"):
        assert evaluation.unit_id == evaluation.project.unit_id
        assert evaluation.department_id == evaluation.project.unit.department_id
        total = evaluation.funding_lines.get(kind=FundingLine.Kind.TOTAL)
        assert (evaluation.total_budget, evaluation.total_executed) == (total.budget_full_year, total.executed)


def test_a_unit_moved_to_another_department_takes_its_evaluations_along():
    evaluation = factory.make_evaluation()
    unit = evaluation.project.unit
    unit.department = factory.make_department("上海市财政局")
    unit.save()
    evaluation.refresh_from_db()
    assert (evaluation.unit, evaluation.department) == (unit, unit.department)


def test_the_stored_funding_totals_follow_an_edit_of_the_total_line():
    evaluation = factory.make_evaluation()
    assert (evaluation.total_budget, evaluation.total_executed) == (Decimal("100.00"), Decimal("100.00"))
    evaluation.replace_figures(factory.clean_figures(funding=factory.funding_figures("250.00", "200.00")))
    evaluation.rescore()
    evaluation.refresh_from_db()
    assert (evaluation.total_budget, evaluation.total_executed) == (Decimal("250.00"), Decimal("200.00"))


def test_after_a_move_the_old_departments_reviewer_no_longer_sees_the_form(client):
    evaluation = factory.make_submitted_evaluation()
    old_reviewer = factory.make_reviewer(department=evaluation.department)
    new_department = factory.make_department("上海市财政局")
    new_reviewer = factory.make_reviewer("reviewer2", department=new_department)
    unit = evaluation.project.unit
    unit.department = new_department
    unit.save()
    page = reverse("review_evaluation", args=[evaluation.pk])
    client.force_login(old_reviewer)
    assert client.get(page).status_code == 404
    client.force_login(new_reviewer)
    assert client.get(page).status_code == 200
