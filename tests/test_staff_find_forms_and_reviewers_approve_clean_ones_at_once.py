"""Staff find their unit's forms by name, year, status and check result; a reviewer approves several clean
forms at once from the queue, each approval its own audited workflow step, and anything flagged is left."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import entry
from evaluations.models import Evaluation, WorkflowEvent
from tests import factory
from tests.conftest import sign_in


@pytest.mark.django_db
def test_staff_search_by_name_and_filter_by_check_result(client):
    unit = factory.make_unit()
    clean = factory.make_evaluation(factory.make_project("信息化建设项目", unit))
    flagged_figures = factory.clean_figures()
    flagged_figures.indicators[0].score = flagged_figures.indicators[0].weight + 1  # E_SCORE_RANGE
    flagged = factory.make_evaluation(factory.make_project("火灾报警系统升级改造", unit), figures=flagged_figures)
    staff = factory.make_staff(unit=unit)
    unfinished = entry.start_evaluation(unit, 2024, staff, project_name="新项目")
    client.force_login(staff)

    def shown(**query):
        return {e.pk for e in client.get(reverse("staff_home"), query).context["evaluations"]}

    assert shown(q="信息化") == {clean.pk}
    assert shown(problems="errors") == {flagged.pk}
    assert shown(problems="clean") == {clean.pk}
    assert shown(problems="unfinished") == {unfinished.pk}
    assert shown(q="项目", year=2024) == {unfinished.pk}


@pytest.mark.django_db
def test_bulk_approval_approves_each_clean_submitted_form_on_its_own_and_leaves_the_rest(client):
    clean_a = factory.make_submitted_evaluation(project=factory.make_project("甲项目"))
    clean_b = factory.make_submitted_evaluation(project=factory.make_project("乙项目"))
    warned_figures = factory.clean_figures()
    warned_figures.indicators[0].score = warned_figures.indicators[0].score - 1  # W_DEDUCTION_UNEXPLAINED, E_INDICATOR_SCORE
    warned = factory.make_submitted_evaluation(project=factory.make_project("丙项目"), figures=warned_figures)
    draft = factory.make_evaluation(project=factory.make_project("丁项目"))
    reviewer = factory.make_reviewer(department=clean_a.project.unit.department)
    other_department = factory.make_submitted_evaluation(
        project=factory.make_project("外部门项目", factory.make_unit("别处", factory.make_department("别的部门"))))
    client.force_login(reviewer)

    ids = [clean_a.pk, clean_b.pk, warned.pk, draft.pk, other_department.pk]
    response = client.post(reverse("review_bulk_approve"), {"evaluation": ids}, follow=True)
    statuses = dict(Evaluation.objects.values_list("pk", "status"))
    assert statuses[clean_a.pk] == statuses[clean_b.pk] == "approved"
    assert statuses[warned.pk] == "submitted" and statuses[draft.pk] == "draft"
    assert statuses[other_department.pk] == "submitted"  # out of scope: untouched, unmentioned
    approvals = WorkflowEvent.objects.filter(action=WorkflowEvent.Action.APPROVE)
    assert sorted(approvals.values_list("evaluation", flat=True)) == sorted([clean_a.pk, clean_b.pk])
    assert {event.actor for event in approvals} == {reviewer}
    page = response.content.decode()
    assert "已审核通过 2 份" in page and "2 份未通过批量审核" in page and "外部门项目" not in page


@pytest.mark.django_db
def test_only_reviewers_may_bulk_approve(client):
    evaluation = factory.make_submitted_evaluation()
    client.force_login(factory.make_staff(unit=evaluation.project.unit))
    assert client.post(reverse("review_bulk_approve"), {"evaluation": [evaluation.pk]}).status_code == 404
    assert Evaluation.objects.get(pk=evaluation.pk).status == "submitted"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_a_reviewer_selects_all_and_approves_the_clean_ones(page, screenshot):
    clean = factory.make_submitted_evaluation(project=factory.make_project("甲项目"))
    figures = factory.clean_figures()
    figures.indicators[0].score = figures.indicators[0].score - 1
    flagged = factory.make_submitted_evaluation(project=factory.make_project("乙项目"), figures=figures)
    factory.make_reviewer(department=clean.project.unit.department)
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto(reverse("review_queue"))
    page.get_by_label("全选本页").check()
    page.get_by_role("button", name="审核通过所选的无问题表").click()
    expect(page.get_by_text("已审核通过 1 份")).to_be_visible()
    expect(page.get_by_text("1 份未通过批量审核")).to_be_visible()
    assert Evaluation.objects.get(pk=flagged.pk).status == "submitted"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot("queue-bulk-approved")
