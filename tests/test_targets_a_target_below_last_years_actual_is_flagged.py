"""W_TARGET_BELOW_LAST_ACTUAL (SCORING.md §6): a positive quantitative target below last year's actual of the same
project's indicator of the same name and unit, on the next year's form and on its target table; and the review page
shows last year's figures beside each row."""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table, target_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year():
    """2023: 举办培训 =2(场) with 2.00(场) achieved; 服务覆盖面 ≥90(%) with 95.00(%)."""
    return factory.make_evaluation(year=2023)


def below(evaluation):
    return [(f.indicator, f.message) for f in evaluation.flags() if f.code == "W_TARGET_BELOW_LAST_ACTUAL"]


def test_a_lower_target_the_next_year_is_flagged_at_its_row_naming_the_form_it_compares_with(last_year):
    figures = factory.clean_figures()
    figures.indicators[1].target = "≥85(%)"  # below 2023's 95.00(%)
    evaluation = factory.make_evaluation(project=last_year.project, year=2024, figures=figures)
    [(position, message)] = below(evaluation)
    assert position == 2 and "≥85(%) 低于 2023 年度的实际完成值 95.00(%)" in message and "2023 年度自评表" in message
    assert evaluation.has_flag("W_TARGET_BELOW_LAST_ACTUAL") and evaluation.warning_count >= 1


@pytest.mark.parametrize("target", ["≥95(%)", "≥96(%)", "≥85(人)", "≤85(%)", "大部分"])
def test_equal_higher_other_unit_negative_or_qualitative_targets_are_not(last_year, target):
    figures = factory.clean_figures()
    figures.indicators[1].target = target
    assert below(factory.make_evaluation(project=last_year.project, year=2024, figures=figures)) == []


def test_another_projects_or_an_earlier_year_does_not_count(last_year):
    figures = factory.clean_figures()
    figures.indicators[1].target = "≥85(%)"
    assert below(factory.make_evaluation(project=factory.make_project("别的项目"), year=2024, figures=figures)) == []
    assert below(factory.make_evaluation(project=last_year.project, year=2025, figures=figures)) == []


def test_the_target_table_of_the_next_year_shows_it_before_approval(client, last_year):
    rows = target_rows()
    rows[1].target = "≥85(%)"
    table = make_table(project=last_year.project, year=2024, rows=rows, status=TargetTable.Status.SUBMITTED)
    client.force_login(factory.make_reviewer())
    page = client.get(reverse("target_table", args=[table.pk])).content.decode()
    assert "W_TARGET_BELOW_LAST_ACTUAL" in page and "低于 2023 年度的实际完成值 95.00(%)" in page


def test_the_review_page_shows_last_years_target_and_actual_beside_each_row(client, last_year):
    evaluation = factory.make_submitted_evaluation(project=last_year.project, year=2024)
    client.force_login(factory.make_reviewer())
    page = client.get(reverse("review_evaluation", args=[evaluation.pk])).content.decode()
    for figure in ("≥90(%)", "95.00(%)", "30.00", "=2(场)", "2.00(场)", "50.00"):
        assert f'<span class="beside">2023年：{figure}</span>' in page
    row = page.split('id="indicator-2"')[1].split("</tr>")[0]
    assert row.index("2023年：≥90(%)") < row.index("2023年：95.00(%)") < row.index("2023年：30.00")
    assert Evaluation.objects.count() == 2


def test_the_entry_page_shows_last_years_target_and_actual_too(client, last_year):
    evaluation = factory.make_evaluation(project=last_year.project, year=2024)
    client.force_login(factory.make_staff())
    page = client.get(reverse("evaluation_entry", args=[evaluation.pk])).content.decode()
    assert '<span class="beside">2023年：≥90(%)</span>' in page and '<span class="beside">2023年：95.00(%)</span>' in page
