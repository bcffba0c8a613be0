"""Submitted and approved evaluations are read-only for staff: the paper form, no inputs, and a refused POST."""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(factory.make_staff())
    return client


@pytest.mark.parametrize("status, label", [(Evaluation.Status.SUBMITTED, "已提交"), (Evaluation.Status.APPROVED, "已通过")])
def test_staff_see_the_read_only_form(staff_client, status, label):
    evaluation = factory.make_sample_evaluation(factory.sample_form("技术转移合作"))
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    response = staff_client.get(reverse("evaluation_entry", args=[evaluation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"该自评表{label}，只能查看，不能修改。" in page
    assert 'class="paper-form"' in page and 'id="indicator-13" class="flagged"' in page
    assert "data-entry-form" not in page and "<input" not in page.split("</header>")[1]


def test_a_post_to_a_submitted_form_changes_nothing(staff_client):
    evaluation = factory.make_submitted_evaluation()
    figures = factory.clean_figures()
    figures.indicators[0].name = "提交后偷偷修改"
    response = staff_client.post(
        reverse("evaluation_entry", args=[evaluation.pk]), factory.entry_form_data(figures, evaluation.version)
    )
    assert response.status_code == 409
    assert "该自评表已提交，不能再修改，未保存。" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.version == 1
    assert evaluation.indicators.get(position=1).name == "举办培训"
    assert not evaluation.events.exists()


def test_staff_home_offers_to_fill_drafts_and_to_view_the_rest(staff_client):
    factory.make_evaluation(factory.make_project("草稿项目"))
    factory.make_submitted_evaluation(project=factory.make_project("已提交项目"))
    page = staff_client.get(reverse("staff_home")).content.decode()
    assert 'aria-label="填写 草稿项目（2023年度）"' in page
    assert 'aria-label="查看 已提交项目（2023年度）"' in page
