"""The auditor's page: workflow actions and data changes, newest first, with before → after, filtered and paged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import workflow
from evaluations.views import audit
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """A reviewer returns one form and approves another; a form of another unit is only created."""
    reviewer = factory.make_reviewer()
    returned = factory.make_submitted_evaluation(project=factory.make_project("火灾报警系统升级改造"))
    approved = factory.make_submitted_evaluation(project=factory.make_project("技术转移合作"))
    other_unit = factory.make_unit("上海市科学技术情报研究所")
    factory.make_evaluation(factory.make_project("科普讲座", other_unit))
    workflow.return_for_revision(returned, reviewer, "请补充偏差原因")
    workflow.approve(approved, reviewer, comment="同意")
    return {"reviewer": reviewer, "returned": returned, "approved": approved, "other_unit": other_unit}


@pytest.fixture
def auditor(client):
    user = factory.make_auditor()
    client.force_login(user)
    return user


def entries(client, **params):
    response = client.get(reverse("audit_trail"), params)
    assert response.status_code == 200
    return response.context["entries"]


def test_both_actions_appear_with_who_and_before_and_after(client, story, auditor):
    html = client.get(reverse("audit_trail")).content.decode()
    assert "退回" in html and "请补充偏差原因" in html and "审核通过" in html
    assert "<del>已提交</del> → <ins>已退回</ins>" in html
    assert "<del>已提交</del> → <ins>已通过</ins>" in html
    assert "<del>1</del> → <ins>2</ins>" in html  # the version of the history row of each action
    assert story["reviewer"].username in html
    newest = entries(client)[0]
    assert newest.project.name == "技术转移合作" and newest.user == story["reviewer"]


def test_filter_by_action(client, story, auditor):
    returned = entries(client, action="return")
    assert [(e.action, e.project.name, e.reason) for e in returned] == [("退回", "火灾报警系统升级改造", "请补充偏差原因")]
    changed = entries(client, action="changed")
    assert changed and {e.action for e in changed} == {"修改"}
    assert {e.reason for e in changed} >= {"退回", "审核通过"}


def test_filter_by_user(client, story, auditor):
    by_reviewer = entries(client, user=story["reviewer"].pk)
    assert {e.user for e in by_reviewer} == {story["reviewer"]}
    assert {e.action for e in by_reviewer} == {"退回", "审核通过", "修改"}


def test_filter_by_unit_and_project(client, story, auditor):
    assert {e.project.name for e in entries(client, unit=story["other_unit"].pk)} == {"科普讲座"}
    assert {e.project.name for e in entries(client, project="火灾")} == {"火灾报警系统升级改造"}


def test_filter_by_date_range(client, story, auditor):
    today = timezone.localdate()
    assert len(entries(client, start=today, end=today)) == len(entries(client))
    assert entries(client, start=today + datetime.timedelta(days=1)) == []
    assert entries(client, end=today - datetime.timedelta(days=1)) == []


def test_a_backwards_date_range_is_explained(client, story, auditor):
    today = timezone.localdate()
    response = client.get(reverse("audit_trail"), {"start": today, "end": today - datetime.timedelta(days=3)})
    assert "起始日期不能晚于截止日期" in response.content.decode()


def test_an_added_row_shows_its_values_and_a_deleted_one_what_it_held(client, auditor):
    evaluation = factory.make_evaluation()
    figures = factory.clean_figures()
    figures.indicators = figures.indicators[:2]
    evaluation.replace_figures(figures)
    deleted, *_ = entries(client, action="deleted")
    assert deleted.subject == "绩效指标 3 · 服务对象满意度"
    assert ("三级指标", "服务对象满意度", "—") in deleted.changes
    added = entries(client, action="added", project="火灾")
    assert any(change == ("三级指标", "—", "举办培训") for e in added for change in e.changes)


def test_the_page_offers_no_way_to_change_the_trail(client, story, auditor):
    html = client.get(reverse("audit_trail")).content.decode()
    assert html.count('method="post"') == 1  # signing out
    assert client.post(reverse("audit_trail")).status_code == 405


def test_pages_cost_a_fixed_number_of_queries(client, auditor, django_assert_num_queries, monkeypatch):
    reviewer = factory.make_reviewer()
    unit = factory.make_unit()

    def act_on(first, count):
        for n in range(first, first + count):
            evaluation = factory.make_submitted_evaluation(project=factory.make_project(f"项目{n:03d}", unit))
            workflow.return_for_revision(evaluation, reviewer, "请修改")
            evaluation.replace_figures(factory.clean_figures(declared_total=None))  # edits funding and indicators

    # session, the user with profile, the menu's unread notifications; users and units (filter choices); count, page; events, then rows and the rows
    # before them for each of the three histories. (The first request after sign-in, which also pushes the
    # session's end, is made before counting.)
    queries = 3 + 2 + 2 + 1 + 3 * 2
    act_on(0, 1)
    monkeypatch.setattr(audit, "PAGE_SIZE", 200)
    client.get(reverse("audit_trail"))
    with django_assert_num_queries(queries):
        small = client.get(reverse("audit_trail"))
    act_on(1, 10)
    with django_assert_num_queries(queries):
        large = client.get(reverse("audit_trail"))
    assert len(large.context["entries"]) > 5 * len(small.context["entries"])
