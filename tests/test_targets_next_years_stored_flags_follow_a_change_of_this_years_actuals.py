"""The flag summary stored on next year's form (the queues filter on it) follows this year's actuals at once:
W_TARGET_BELOW_LAST_ACTUAL comes and goes on the 2024 form when the 2023 form's actuals change, whether the 2023
form is saved on the entry page, imported over, or imported new after the 2024 form, without the 2024 form being saved."""

import pytest

from evaluations import entry
from evaluations.models import Evaluation
from importer import loader, parsing
from tests import factory

pytestmark = pytest.mark.django_db
BELOW = "W_TARGET_BELOW_LAST_ACTUAL"


def stored_codes(evaluation):
    return Evaluation.objects.get(pk=evaluation.pk).flag_codes.split()


def with_coverage(actual):
    """clean_figures with 服务覆盖面 (target ≥90(%)) achieved at `actual`."""
    figures = factory.clean_figures()
    figures.indicators[1].actual = actual
    return figures


@pytest.fixture
def years():
    this_year = factory.make_evaluation(year=2023, figures=with_coverage("85.00(%)"))
    next_year = factory.make_evaluation(project=this_year.project, year=2024)  # its target ≥90(%)
    assert BELOW not in stored_codes(next_year)
    return this_year, next_year


def test_saving_last_years_actual_on_the_entry_page_flags_the_next_year(years):
    this_year, next_year = years
    entry.save_entry(this_year, this_year.version, with_coverage("95.00(%)"), "", "", None)
    assert BELOW in stored_codes(next_year)
    this_year.refresh_from_db()
    entry.save_entry(this_year, this_year.version, with_coverage("88.00(%)"), "", "", None)
    assert BELOW not in stored_codes(next_year)


def form_of(evaluation, figures):
    project = evaluation.project
    return parsing.ParsedForm(file="a.txt", lines=(1, 40), year=evaluation.year, project_name=project.name,
                              department=project.unit.department.name, unit=project.unit.name, goal_expected="",
                              goal_actual="", figures=figures, has_deviation_column=True)


def test_importing_over_last_years_form_flags_the_next_year(years):
    this_year, next_year = years
    assert loader.load_form(form_of(this_year, with_coverage("95.00(%)"))).outcome == loader.UPDATED
    assert BELOW in stored_codes(next_year)


def test_last_years_form_imported_after_the_next_years_flags_it():
    next_year = factory.make_evaluation(year=2024)
    assert BELOW not in stored_codes(next_year)
    earlier = Evaluation(project=next_year.project, year=2023)
    [(_, result)] = list(loader.load_forms([form_of(earlier, with_coverage("95.00(%)"))]))
    assert result.outcome == loader.CREATED
    assert BELOW in stored_codes(next_year)
