"""The staff home: their unit's evaluations by year with status and figures, filters, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(factory.make_staff())
    return client


def test_lists_only_the_units_evaluations_grouped_by_year(staff_client):
    factory.make_evaluation(factory.make_project("甲项目"), year=2023)
    factory.make_submitted_evaluation(project=factory.make_project("乙项目"), year=2022)
    factory.make_evaluation(factory.make_project("别家项目", factory.make_unit("上海市科学技术情报研究所")))
    page = staff_client.get(reverse("staff_home")).content.decode()
    assert "甲项目" in page and "乙项目" in page
    assert "别家项目" not in page
    assert page.index('id="year-2023"') < page.index("甲项目") < page.index('id="year-2022"') < page.index("乙项目")
    assert "status-submitted" in page
    assert "100.00" in page  # the computed total
    assert reverse("new_evaluation") in page


@pytest.mark.parametrize("query, shown, hidden", [
    ("?year=2022", "乙项目", "甲项目"),
    ("?status=submitted", "乙项目", "甲项目"),
    ("?status=draft&year=2023", "甲项目", "乙项目"),
])
def test_filters_by_year_and_status(staff_client, query, shown, hidden):
    factory.make_evaluation(factory.make_project("甲项目"), year=2023)
    factory.make_submitted_evaluation(project=factory.make_project("乙项目"), year=2022)
    page = staff_client.get(reverse("staff_home") + query).content.decode()
    assert shown in page
    assert hidden not in page


def test_an_unknown_filter_value_is_ignored(staff_client):
    factory.make_evaluation()
    assert "火灾报警系统升级改造" in staff_client.get(reverse("staff_home") + "?year=abc&status=lost").content.decode()


def test_the_query_count_does_not_grow_with_the_rows(staff_client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("staff_home")).status_code == 200
        return len(queries)

    factory.make_evaluation(factory.make_project("项目0"))
    count_queries()  # the first request after sign-in also pushes the session's end
    one = count_queries()
    for number in range(1, 8):
        factory.make_evaluation(factory.make_project(f"项目{number}"), year=2016 + number)
    assert Evaluation.objects.count() == 8
    assert count_queries() == one
