"""A project's page: each year's budget, execution rate, total, grade, each indicator's target and actual, a small
SVG trend drawn on the server, and links to each year's forms; the number of queries does not grow with the years."""

import re

import pytest
from django.urls import reverse

from targets import charts
from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db


def test_two_years_side_by_side_with_links_and_trends(client):
    first = factory.make_evaluation(year=2023)
    figures = factory.clean_figures(funding=factory.funding_figures("200.00", "150.00", rate="75.00", score="7.50"))
    figures.indicators[1].actual = "97.00(%)"
    second = factory.make_evaluation(project=first.project, year=2024, figures=figures)
    table = make_table(project=first.project, year=2025, status=TargetTable.Status.APPROVED)
    client.force_login(factory.make_reviewer())
    page = client.get(reverse("project_years", args=[first.project.pk])).content.decode()
    header = re.search(r"<thead><tr><th scope=\"col\">年度</th>(.*?)</tr>", page).group(1)
    assert re.findall(r">(\d{4})<", header) == ["2023", "2024", "2025"]
    for link in (reverse("evaluation_detail", args=[first.pk]), reverse("evaluation_detail", args=[second.pk]),
                 reverse("target_table", args=[table.pk])):
        assert f'href="{link}"' in page
    assert ">100.00<" in page and ">200.00<" in page and ">75.00<" in page  # budgets and the 2024 execution rate
    assert "95.00(%)" in page and "97.00(%)" in page
    assert page.count('<svg class="trend"') >= 3 and "<script" not in page.split("</main>")[0]


def test_the_trend_is_plain_svg_with_a_point_per_year():
    svg = charts.trend([(2024, "97"), (2023, "95")], "服务覆盖面")
    assert svg.startswith('<svg class="trend"') and svg.count("<circle") == 2
    assert svg.index("2023年：95") < svg.index("2024年：97")
    assert charts.trend([], "无") == ""


def test_queries_stay_fixed_whatever_the_number_of_years(client, django_assert_max_num_queries):
    project = factory.make_project()
    for year in range(2015, 2025):
        factory.make_evaluation(project=project, year=year)
    client.force_login(factory.make_reviewer())
    with django_assert_max_num_queries(14):  # two of them the menu's notifications and due dates
        assert client.get(reverse("project_years", args=[project.pk])).status_code == 200
