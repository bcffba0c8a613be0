"""The department's report page lists every form of the year at the same number of queries whatever their count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import PublicationPackage
from tests import factory

pytestmark = pytest.mark.django_db


def queries_for(client, reviewer):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("department_reports")).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_for_one_form_and_for_twenty(client):
    department = factory.make_department()
    reviewer = factory.make_reviewer(department=department)
    client.force_login(reviewer)
    factory.make_submitted_evaluation(project=factory.make_project("项目0", factory.make_unit("单位0", department)))
    PublicationPackage.objects.create(requested_by=reviewer, department=department, year=2023)
    client.get(reverse("department_reports"))  # the session's first request also pushes its end
    few = queries_for(client, reviewer)
    for n in range(1, 20):
        factory.make_submitted_evaluation(project=factory.make_project(f"项目{n}", factory.make_unit(f"单位{n}", department)))
        PublicationPackage.objects.create(requested_by=reviewer, department=department, year=2023)
    assert queries_for(client, reviewer) == few
