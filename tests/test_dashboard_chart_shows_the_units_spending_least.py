"""The execution-rate chart draws the units that spent least of their budget, lowest first; the table
beside it lists every unit, with current figures though its drawn rows are kept."""

import re

import pytest
from django.urls import reverse

from evaluations.views.dashboard import LOWEST_RATE_UNITS
from tests import factory

pytestmark = pytest.mark.django_db


def test_the_chart_draws_the_lowest_rates_and_the_table_every_unit(client):
    department = factory.make_department()
    units = LOWEST_RATE_UNITS + 5
    for n in range(units):
        unit = factory.make_unit(f"单位{n:02d}", department)
        figures = factory.clean_figures(funding=factory.funding_figures("100.00", f"{50 + n}.00"))
        factory.make_evaluation(factory.make_project(f"项目{n:02d}", unit), figures=figures)
    client.force_login(factory.make_reviewer(department=department))

    response = client.get(reverse("dashboard"), {"year": 2023})

    html = response.content.decode()
    chart = re.search(r'<svg[^>]*aria-label="执行率最低的[^"]*".*?</svg>', html, re.S).group(0)
    drawn = re.findall(r"<title>(单位\d\d)：([\d.]+)%</title>", chart)
    assert drawn == [(f"单位{n:02d}", f"{50 + n}.00") for n in range(LOWEST_RATE_UNITS)]
    assert len(response.context["figures"].by_unit) == units
    assert all(f"<td>单位{n:02d}</td>" in html for n in range(units))
    assert f"图中为执行率最低的 {LOWEST_RATE_UNITS} 个单位；表中列出全部 {units} 个单位。" in html


def test_the_unit_table_shows_current_figures_on_the_next_visit(client):
    evaluation = factory.make_submitted_evaluation()
    client.force_login(factory.make_reviewer(department=evaluation.department))
    row = '<tr><td>上海科学技术交流中心</td><td class="num">1</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>'
    assert row.format("100.00", "100.00", "100.00") in client.get(reverse("dashboard")).content.decode()

    evaluation.replace_figures(factory.clean_figures(funding=factory.funding_figures("250.00", "200.00")))
    evaluation.rescore()

    assert row.format("250.00", "200.00", "80.00") in client.get(reverse("dashboard")).content.decode()
