"""The finance bureau's queue costs the same number of queries however many departments and forms it spans,
and counts its forms from the departments' figures it shows anyway."""

import pytest
from django.urls import reverse

from evaluations import roles
from evaluations.models import Department, Evaluation
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status


def make_province(per_unit):
    """Three departments of two units, each unit with `per_unit` approved, one accepted and one submitted form."""
    for name in ("科委", "教委", "卫健委"):
        department = factory.make_department(name)
        for unit_name in ("甲", "乙"):
            unit = factory.make_unit(f"{name}{unit_name}", department)
            for n in range(per_unit):
                factory.make_evaluation(factory.make_project(f"通过{n}", unit), status=Status.APPROVED)
            factory.make_evaluation(factory.make_project("接收", unit), status=Status.ACCEPTED)
            factory.make_evaluation(factory.make_project("提交", unit), status=Status.SUBMITTED)


@pytest.mark.parametrize("per_unit", [1, 30])
def test_the_queue_costs_a_fixed_number_of_queries(client, django_assert_num_queries, per_unit):
    make_province(per_unit)
    client.force_login(factory.make_user("finance", roles.FINANCE))
    client.get(reverse("home"))  # the first request after sign-in also saves the session
    # session, the user with profile; years; departments for the filter; departments, due dates, the tallies
    # summed; accepted years; the page's forms; the menu's unread notifications
    with django_assert_num_queries(10):
        response = client.get(reverse("finance_queue"), {"year": 2023})
    page = response.context["page"]
    assert page.paginator.count == 3 * 2 * (per_unit + 1)
    assert len(page.object_list) == min(50, page.paginator.count)
    assert {evaluation.status for evaluation in page.object_list} <= {Status.APPROVED, Status.ACCEPTED}


def test_one_departments_count_is_its_own(client):
    make_province(2)
    client.force_login(factory.make_user("finance", roles.FINANCE))
    education = Department.objects.get(name="教委")
    page = client.get(reverse("finance_queue"), {"year": 2023, "department": education.pk}).context["page"]
    assert page.paginator.count == 2 * 3
    assert {evaluation.department for evaluation in page.object_list} == {education}
