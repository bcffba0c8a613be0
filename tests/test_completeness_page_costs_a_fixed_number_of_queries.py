"""The completeness page costs the same number of queries however many units, forms and missing projects a
level has (the list of missing projects named each project's unit with a query of its own)."""

import pytest
from django.db import connection
from django.urls import reverse

from evaluations import roles
from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status


def make_department(name, units):
    """`units` units, each with a 2023 form and a continuing project whose 2023 form is missing."""
    department = factory.make_department(name)
    for n in range(units):
        unit = factory.make_unit(f"{name}单位{n}", department)
        factory.make_evaluation(factory.make_project("已建表", unit), status=Status.SUBMITTED)
        factory.make_evaluation(factory.make_project("持续", unit), year=2022, status=Status.APPROVED)
    return department


@pytest.mark.parametrize("units", [1, 8])
def test_each_level_costs_a_fixed_number_of_queries(client, django_assert_num_queries, units):
    science = make_department("科委", units)
    make_department("教委", units)
    client.force_login(factory.make_reviewer(department=science))
    client.get(reverse("home"))  # the first request after sign-in also saves the session
    # session, the user with profile and department; years; units, due date, the units' tallies; missing projects
    # with their units; the menu's unread notifications and due dates
    with django_assert_num_queries(9):
        page = client.get(reverse("completeness"), {"year": 2023}).content.decode()
    assert page.count("· 持续</li>") == units

    client.force_login(factory.make_user("finance", roles.FINANCE))
    client.get(reverse("home"))
    # session, the user with profile; years; departments, due dates, the tallies summed; the menu's notifications;
    # on PostgreSQL, now that the browser holds a CSRF cookie, the kept page's key (evaluations/kept_pages.py)
    with django_assert_num_queries(7 + (connection.vendor == "postgresql")):
        page = client.get(reverse("completeness"), {"year": 2023}).content.decode()
    assert 'data-name="科委"' in page and 'data-name="教委"' in page
