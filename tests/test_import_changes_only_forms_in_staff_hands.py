"""An import creates forms and updates drafts and returned forms, keeping their status (staff then submit
them under the entry page's rules); a submitted or approved form is refused with the reason and left
exactly as it was."""

import pytest

from evaluations.models import Evaluation
from importer import loader, parsing
from tests import factory

pytestmark = pytest.mark.django_db

PARTY = "加强科技类社会组织党建工作"


def party_form():
    forms, _ = parsing.parse_bytes(factory.SAMPLE_DUMP.read_bytes(), file="sample.txt")
    return next(f for f in forms if f.project_name == PARTY)


def parsed_and_changed():
    """The party-building form as the importer reads it, and the same form with its goal text and a score changed."""
    form, changed = party_form(), party_form()
    changed.goal_actual = "导入时改写的总体目标完成情况"
    changed.figures.indicators[0].score = changed.figures.indicators[0].score - 1
    return form, changed


def stored(evaluation):
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    return (evaluation.status, evaluation.version, evaluation.goal_actual, evaluation.figures(), evaluation.computed_total)


@pytest.mark.parametrize("status", [Evaluation.Status.SUBMITTED, Evaluation.Status.APPROVED])
def test_a_changed_re_import_leaves_a_form_under_review_exactly_as_it_was(status):
    form, changed = parsed_and_changed()
    evaluation = loader.load_form(form).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    before = stored(evaluation)
    assert loader.predict(changed) == loader.REFUSED
    result = loader.load_form(changed)
    assert result.outcome == loader.REFUSED
    assert ("已提交、正在审核" if status == Evaluation.Status.SUBMITTED else "已审核通过") in result.message
    assert stored(evaluation) == before


@pytest.mark.parametrize("status", [Evaluation.Status.DRAFT, Evaluation.Status.RETURNED])
def test_a_form_in_staff_hands_is_updated_and_keeps_its_status(status):
    form, changed = parsed_and_changed()
    evaluation = loader.load_form(form).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    assert loader.load_form(changed).outcome == loader.UPDATED
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert (after.status, after.version, after.goal_actual) == (status, 2, "导入时改写的总体目标完成情况")


def test_a_draft_with_an_error_is_not_submitted_by_an_import():
    form, changed = parsed_and_changed()
    changed.figures.declared_total = changed.figures.declared_total + 5  # a total that does not add up
    evaluation = loader.load_form(form).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.DRAFT)
    loader.load_form(changed)
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert after.status == Evaluation.Status.DRAFT and after.has_flag("E_TOTAL")


def test_new_forms_arrive_submitted_as_handed_in_on_paper():
    assert loader.load_form(party_form()).evaluation.status == Evaluation.Status.SUBMITTED
