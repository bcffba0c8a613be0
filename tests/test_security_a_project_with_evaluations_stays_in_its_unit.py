"""A project's evaluations belong to its unit: moving a project that has any, in the admin or in code,
is refused with the reason, so its forms never pass silently into another unit's staff's hands."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import Project
from tests import factory

pytestmark = pytest.mark.django_db


def test_the_admin_refuses_to_move_a_project_that_has_evaluations(client):
    evaluation = factory.make_submitted_evaluation()
    project, elsewhere = evaluation.project, factory.make_unit("另一单位")
    client.force_login(factory.make_administrator())
    response = client.post(reverse("admin:evaluations_project_change", args=[project.pk]),
                           {"unit": elsewhere.pk, "name": project.name})
    assert response.status_code == 200
    assert "此项目已有自评表，不能改到其他实施单位" in response.content.decode()
    evaluation.refresh_from_db()
    assert Project.objects.get(pk=project.pk).unit != elsewhere and evaluation.unit == project.unit


def test_saving_a_moved_project_in_code_is_refused_too(client):
    evaluation = factory.make_submitted_evaluation()
    elsewhere = factory.make_unit("另一单位")
    project = evaluation.project
    project.unit = elsewhere
    with pytest.raises(ValidationError):
        project.save()
    client.force_login(factory.make_staff("other", unit=elsewhere))
    assert client.get(reverse("evaluation_detail", args=[evaluation.pk])).status_code == 404


def test_a_project_without_evaluations_moves_and_a_rename_stays_allowed(client):
    project = factory.make_project("新项目")
    project.unit = factory.make_unit("另一单位")
    project.save()
    evaluation = factory.make_evaluation()
    evaluation.project.name = "改名后的项目"
    evaluation.project.save()
    assert Project.objects.filter(name="改名后的项目").exists() and Project.objects.get(name="新项目").unit.name == "另一单位"
