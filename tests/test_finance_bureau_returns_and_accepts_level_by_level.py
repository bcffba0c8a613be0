"""Three levels (单位 → 主管部门 → 财政局), as DHIS2 approves data: the finance bureau sees what departments
approved, sends a form back to its department, and accepts a department's year only once every expected
form of it is approved; accepting locks the forms for the department too; un-accepting needs a reason.
Every step is one function, one transaction, with its audit row and its notifications inside."""

import pytest
from django.core import mail
from django.urls import reverse

from evaluations import workflow
from evaluations.models import DepartmentYear, Evaluation, Notification, WorkflowEvent
from importer import loader, parsing
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status


@pytest.fixture
def level():
    """A department with two approved forms, its reviewer, a unit's staff and the finance bureau."""
    first = factory.make_evaluation(status=Status.APPROVED)
    second = factory.make_evaluation(factory.make_project("第二个项目"), status=Status.APPROVED)
    people = {
        "staff": factory.make_staff(unit=first.unit),
        "reviewer": factory.make_reviewer(department=first.department),
        "finance": factory.make_user("finance", "finance"),
    }
    return first, second, people


def test_the_finance_bureau_returns_a_form_to_its_department(level):
    first, _, people = level
    workflow.return_to_department(first, people["finance"], "预算执行率与决算不符，请核实。")
    first.refresh_from_db()
    assert first.status == Status.SUBMITTED
    event = first.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == ("fin_return", "approved", "submitted", people["finance"])
    told = Notification.objects.get(recipient=people["reviewer"])
    assert told.kind == "fin_return" and "预算执行率与决算不符" in told.text and told.evaluation == first
    with pytest.raises(workflow.WorkflowError, match="必须填写退回意见"):
        workflow.return_to_department(first, people["finance"], " ")


def test_the_department_then_returns_it_to_the_unit_and_staff_are_told(level):
    first, _, people = level
    workflow.return_to_department(first, people["finance"], "请核实。")
    workflow.return_for_revision(first, people["reviewer"], "财政局要求核实执行数。")
    assert Notification.objects.get(recipient=people["staff"]).kind == "returned"
    first.refresh_from_db()
    workflow.submit(first, people["staff"])
    assert Notification.objects.filter(recipient=people["reviewer"], kind="submitted").count() == 1


def test_a_year_is_accepted_only_when_every_form_is_approved(level):
    first, second, people = level
    Evaluation.objects.filter(pk=second.pk).update(status=Status.SUBMITTED)
    with pytest.raises(workflow.WorkflowError, match="还有 1 份自评表未经主管部门审核通过"):
        workflow.accept_department_year(first.department, 2023, people["finance"])
    assert not Evaluation.objects.filter(status=Status.ACCEPTED).exists()
    assert not DepartmentYear.objects.filter(accepted_at__isnull=False).exists()


def test_a_form_expected_from_last_year_but_missing_holds_the_acceptance_up(level):
    first, _, people = level
    factory.make_evaluation(factory.make_project("持续项目"), year=2022, status=Status.APPROVED)
    with pytest.raises(workflow.WorkflowError, match="还有 1 个应报项目没有自评表：持续项目"):
        workflow.accept_department_year(first.department, 2023, people["finance"])


def test_accepting_locks_the_forms_for_the_department_too(level):
    first, second, people = level
    workflow.accept_department_year(first.department, 2023, people["finance"], "准予接收。")
    assert set(Evaluation.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
    assert WorkflowEvent.objects.filter(action="accept").count() == 2
    first.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="财政局已接收"):
        workflow.unapprove(first, people["reviewer"], "想再改改")
    with pytest.raises(workflow.WorkflowError, match="财政局已接收"):
        workflow.return_to_department(first, people["finance"], "直接退回")
    with pytest.raises(workflow.WorkflowError, match="已于"):
        workflow.accept_department_year(first.department, 2023, people["finance"])


def test_an_import_cannot_change_an_accepted_form():
    forms, _ = parsing.parse_bytes(factory.SAMPLE_DUMP.read_bytes(), file="sample.txt")
    form = forms[0]
    evaluation = loader.load_form(form).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.ACCEPTED)
    form.goal_actual = "导入时改写"
    result = loader.load_form(form)
    assert result.outcome == loader.REFUSED and "财政局已接收" in result.message
    assert Evaluation.objects.get(pk=evaluation.pk).goal_actual != "导入时改写"


def test_un_accepting_needs_a_reason_and_reopens_the_forms(level):
    first, _, people = level
    workflow.accept_department_year(first.department, 2023, people["finance"])
    with pytest.raises(workflow.WorkflowError, match="必须说明理由"):
        workflow.unaccept_department_year(first.department, 2023, people["finance"], "")
    workflow.unaccept_department_year(first.department, 2023, people["finance"], "发现一份表需要更正。")
    assert set(Evaluation.objects.values_list("status", flat=True)) == {Status.APPROVED}
    year = DepartmentYear.objects.get()
    assert year.accepted_at is None
    assert [h.history_change_reason for h in year.history.order_by("history_date")][-2:] == ["财政局接收", "撤销接收"]


def test_a_failed_notification_rolls_the_transition_back(level, monkeypatch):
    first, _, people = level

    def broken(*args, **kwargs):
        raise RuntimeError("通知写不进去")

    monkeypatch.setattr(workflow.notifications, "notify", broken)
    with pytest.raises(RuntimeError):
        workflow.return_to_department(first, people["finance"], "请核实。")
    first.refresh_from_db()
    assert first.status == Status.APPROVED and not first.events.exists()


def test_mail_goes_on_the_task_queue_unless_turned_off(level, settings, django_capture_on_commit_callbacks):
    first, second, people = level
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people["reviewer"].email = "reviewer@example.gov.cn"
    people["reviewer"].save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_department(first, people["finance"], "请核实。")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reviewer@example.gov.cn"]
    assert "财政局退回" in mail.outbox[0].subject and "请核实" in mail.outbox[0].body
    people["reviewer"].profile.email_notifications = False
    people["reviewer"].profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_department(second, people["finance"], "也请核实。")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=people["reviewer"]).count() == 2  # still told in the app


def test_the_pages_answer_each_role_as_they_should(client, level):
    first, _, people = level
    pages = [reverse("finance_queue"), reverse("finance_review", args=[first.pk])]
    for page in pages:
        assert client.get(page).status_code == 302  # anonymous: to the sign-in page
    for wrong in ("staff", "reviewer"):
        client.force_login(people[wrong])
        assert all(client.get(page).status_code == 404 for page in pages), wrong
    client.force_login(people["finance"])
    assert all(client.get(page).status_code == 200 for page in pages)
    draft = factory.make_evaluation(factory.make_project("草稿项目"))
    assert client.get(reverse("finance_review", args=[draft.pk])).status_code == 404  # not approved: not theirs


def test_the_finance_bureau_acts_through_its_pages(client, level):
    first, _, people = level
    client.force_login(people["finance"])
    response = client.post(reverse("finance_return", args=[first.pk]), {"comment": "请核实。", "version": first.version})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=first.pk).status == Status.SUBMITTED
    Evaluation.objects.filter(pk=first.pk).update(status=Status.APPROVED)
    client.post(reverse("finance_accept", args=[first.department_id, 2023]))
    assert set(Evaluation.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
    page = client.get(reverse("finance_queue"), {"year": 2023}).content.decode()
    assert "撤销接收" in page
    client.post(reverse("finance_unaccept", args=[first.department_id, 2023]), {"comment": ""})
    assert set(Evaluation.objects.values_list("status", flat=True)) == {Status.ACCEPTED}  # no reason, no change
