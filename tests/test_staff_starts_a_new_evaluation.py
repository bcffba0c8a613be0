"""Starting an evaluation: a project of one's own unit (chosen or new) and a year, once per project and year."""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation, Project, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db
URL = reverse("new_evaluation")


@pytest.fixture
def staff(client):
    staff = factory.make_staff()
    client.force_login(staff)
    return staff


def test_a_new_project_and_its_evaluation_are_created_and_opened(client, staff):
    response = client.post(URL, {"project": "", "new_project_name": "科普讲座", "year": "2024"})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("evaluation_entry", args=[evaluation.pk])
    assert (evaluation.project.name, evaluation.project.unit, evaluation.year) == ("科普讲座", factory.make_unit(), 2024)
    assert (evaluation.status, evaluation.source, evaluation.version) == ("draft", "entry", 1)
    event = evaluation.events.get()
    assert (event.action, event.actor, event.to_status) == (WorkflowEvent.Action.CREATE, staff, "draft")
    assert evaluation.history.get().history_user == staff


def test_an_existing_project_of_the_unit_can_be_chosen(client, staff):
    project = factory.make_project()
    client.post(URL, {"project": project.pk, "year": "2023"})
    assert Evaluation.objects.get().project == project
    assert Project.objects.count() == 1


@pytest.mark.parametrize("data", [
    lambda project: {"project": project.pk, "year": "2023"},
    lambda project: {"new_project_name": project.name, "year": "2023"},  # its name typed again
])
def test_a_second_evaluation_for_the_same_year_is_refused_with_a_link(client, staff, data):
    existing = factory.make_evaluation()
    response = client.post(URL, data(existing.project))
    page = response.content.decode()
    assert "“火灾报警系统升级改造”2023年度的自评表已经存在，不能重复新建。" in page
    assert f'href="{reverse("evaluation_entry", args=[existing.pk])}"' in page
    assert Evaluation.objects.count() == 1


def test_another_units_project_cannot_be_chosen(client, staff):
    foreign = factory.make_project("别家项目", factory.make_unit("别的单位"))
    page = client.get(URL).content.decode()
    assert "别家项目" not in page
    response = client.post(URL, {"project": foreign.pk, "year": "2023"})
    assert "选择一个有效的选项" in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"year": "2023"}, "请选择已有项目，或填写新项目名称。"),
    ({"new_project_name": "甲", "year": ""}, "请填写年度。"),
    ({"new_project_name": "甲", "year": "1999"}, "年度不能早于 2000 年。"),
    ({"new_project_name": "甲", "year": "二〇二三"}, "年度请填写四位数字。"),
    ({"new_project_name": "名" * 201, "year": "2023"}, "最多 200 个字（现有 201 个）。"),
])
def test_bad_choices_are_explained(client, staff, data, message):
    response = client.post(URL, data)
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()


def test_choosing_a_project_and_typing_a_name_is_refused(client, staff):
    response = client.post(URL, {"project": factory.make_project().pk, "new_project_name": "乙", "year": "2023"})
    assert "二者只填其一" in response.content.decode()
