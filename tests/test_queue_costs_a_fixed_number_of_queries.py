"""The queue costs the same number of queries for 3 forms as for 30 (one page holds them all)."""

import pytest
from django.urls import reverse

from tests import factory

pytestmark = pytest.mark.django_db

# session, the user with profile and department; the menu's unread notifications and due dates; years and units (filter choices); summary (which also counts the
# pages), the page's ids, its rows; the idle-timeout session save of the first request after sign-in (savepoint,
# update, release)
QUERIES = 12


def make_forms(count):
    unit = factory.make_unit()
    for n in range(count):
        figures = factory.clean_figures()
        if n % 2:
            figures.indicators[0] = factory.indicator(target="≥2(null)", actual="3.00(null)")  # warnings
        factory.make_submitted_evaluation(figures, factory.make_project(f"项目{n:02d}", unit))


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("params", [{}, {"flag": "W_UNIT_MISSING", "sort": "-total", "q": "项目", "errors": "no"}])
def test_the_queue_costs_a_fixed_number_of_queries(client, django_assert_num_queries, count, params):
    make_forms(count)
    client.force_login(factory.make_reviewer())
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("review_queue"), params)
    assert len(response.context["page"]) == (count if not params else count // 2)
