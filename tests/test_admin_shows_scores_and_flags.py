"""The admin: every model registered, computed total, grade and flag counts visible, rows inline."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User

from evaluations.models import Department, Evaluation, FundingLine, Indicator, Profile, Project, Unit
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    return client


def test_every_model_is_registered():
    for model in (Department, Unit, Project, Profile, Evaluation):
        assert admin.site.is_registered(model)
    inlines = {inline.model for inline in admin.site._registry[Evaluation].inlines}
    assert inlines == {FundingLine, Indicator}


def test_changelist_shows_computed_total_grade_and_flag_counts(superuser_client):
    factory.make_sample_evaluation(factory.sample_form("加强科技类社会组织党建工作"))
    page = superuser_client.get("/admin/evaluations/evaluation/").content.decode()
    assert "加强科技类社会组织党建工作" in page
    assert "99.00" in page
    assert 'class="field-warning_count">2<' in page


def test_change_page_lists_flags_with_their_messages(superuser_client):
    evaluation = factory.make_sample_evaluation(factory.sample_form("技术转移合作"))
    page = superuser_client.get(f"/admin/evaluations/evaluation/{evaluation.pk}/change/").content.decode()
    assert "W_UNIT_MISSING" in page
    assert "缺少计量单位" in page
    assert "科技服务人才队伍提升综合满意度" in page  # indicators are inline


@pytest.mark.parametrize("path, search", [
    ("/admin/evaluations/evaluation/?q=火灾", "火灾报警系统升级改造"),
    ("/admin/evaluations/evaluation/?status__exact=submitted", "火灾报警系统升级改造"),
    ("/admin/evaluations/project/?q=火灾", "火灾报警系统升级改造"),
    ("/admin/evaluations/unit/?q=交流", "上海科学技术交流中心"),
])
def test_search_and_filters_work(superuser_client, path, search):
    factory.make_sample_evaluation(factory.sample_form("火灾报警系统升级改造"))
    Evaluation.objects.update(status=Evaluation.Status.SUBMITTED)
    assert search in superuser_client.get(path).content.decode()


def test_saving_in_the_admin_rescores_and_bumps_the_version(superuser_client):
    evaluation = factory.make_evaluation()
    indicator = evaluation.indicators.get(position=3)
    data = factory.admin_change_data(evaluation, **{"indicators-2-score": "9.00"})
    response = superuser_client.post(f"/admin/evaluations/evaluation/{evaluation.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    evaluation.refresh_from_db()
    indicator.refresh_from_db()
    assert indicator.score == 9
    assert evaluation.version == 2
    assert evaluation.has_flag("W_DEDUCTION_UNEXPLAINED")
    assert evaluation.computed_total == 99
