"""The finance bureau's queue lists the year's approved forms by department, unit and project name, page after
page, each form once, reading only the departments a page falls in (their kept counts say which)."""

import pytest
from django.urls import reverse

from evaluations import roles, workflow
from evaluations.models import Evaluation
from evaluations.views import finance
from tests import factory

pytestmark = pytest.mark.django_db


def test_every_page_holds_the_next_forms_in_order_and_each_form_once(client, monkeypatch):
    monkeypatch.setattr(finance, "PAGE_SIZE", 4)
    reviewer = factory.make_reviewer()
    expected = []
    for department_name, forms in [("丙委", 3), ("甲委", 5), ("乙委", 1), ("丁委", 0)]:
        department = factory.make_department(department_name)
        unit = factory.make_unit(f"{department_name}单位", department)
        for n in range(forms):
            evaluation = factory.make_submitted_evaluation(project=factory.make_project(f"项目{n}", unit))
            workflow.approve(evaluation, reviewer)
            expected.append(evaluation.pk)
        factory.make_submitted_evaluation(project=factory.make_project("待审项目", unit))  # not the bureau's yet
    client.force_login(factory.make_user("finance", roles.FINANCE))

    listed = []
    for number in (1, 2, 3):
        page = client.get(reverse("finance_queue"), {"year": 2023, "page": number}).context["page"]
        assert page.paginator.count == 9
        listed += [evaluation.pk for evaluation in page.object_list]

    in_order = Evaluation.objects.filter(pk__in=expected).order_by(
        "department__name", "project__unit__name", "project__name").values_list("pk", flat=True)
    assert listed == list(in_order)
