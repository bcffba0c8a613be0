"""Each workflow transition: what it allows, what it refuses, and the audit rows it writes in one transaction."""

from decimal import Decimal

import pytest

from evaluations import workflow
from evaluations.models import Evaluation, ReviewComment, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status


@pytest.fixture
def reviewer():
    return factory.make_reviewer()


def with_warnings(status=Status.SUBMITTED):
    evaluation = factory.make_sample_evaluation(factory.sample_form("技术转移合作"))  # W_UNIT_MISSING on 13 and 14
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    return evaluation


def with_errors():
    return factory.make_submitted_evaluation(factory.clean_figures(declared_total=Decimal("90.00")))  # E_TOTAL


def only_event(evaluation):
    (event,) = evaluation.events.all()
    return event


def test_submit_keeps_its_two_argument_form_and_records_the_event():
    staff = factory.make_staff()
    evaluation = workflow.submit(factory.make_evaluation(), staff)
    assert evaluation.status == Status.SUBMITTED and evaluation.version == 2
    event = only_event(evaluation)
    assert (event.action, event.from_status, event.to_status, event.actor) == ("submit", "draft", "submitted", staff)


def test_return_needs_a_comment_and_gives_the_form_back_to_staff(reviewer):
    evaluation = factory.make_submitted_evaluation()
    with pytest.raises(workflow.WorkflowError, match="退回意见"):
        workflow.return_for_revision(evaluation, reviewer, "   ")
    assert not WorkflowEvent.objects.exists()

    evaluation = workflow.return_for_revision(evaluation, reviewer, "请补充偏差原因")
    assert evaluation.status == Status.RETURNED and evaluation.is_editable_by_staff()
    event = only_event(evaluation)
    assert (event.action, event.from_status, event.to_status, event.comment) == (
        "return", "submitted", "returned", "请补充偏差原因")
    assert [c.text for c in evaluation.comments.all()] == ["退回：请补充偏差原因"]
    # Staff may hand it in again.
    assert workflow.submit(evaluation, factory.make_staff()).status == Status.SUBMITTED


def test_approve_a_clean_form_locks_it(reviewer):
    evaluation = workflow.approve(factory.make_submitted_evaluation(), reviewer)
    assert evaluation.status == Status.APPROVED and not evaluation.is_editable_by_staff()
    assert only_event(evaluation).action == "approve"


def test_approve_needs_each_warning_code_acknowledged(reviewer):
    evaluation = with_warnings()
    with pytest.raises(workflow.WorkflowError, match="W_UNIT_MISSING"):
        workflow.approve(evaluation, reviewer, acknowledged_codes=["W_OVERACHIEVED"])
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED and not WorkflowEvent.objects.exists()

    evaluation = workflow.approve(evaluation, reviewer, acknowledged_codes=["W_UNIT_MISSING"], comment="单位已电话核实")
    assert evaluation.status == Status.APPROVED
    assert [c.text for c in evaluation.comments.all()] == ["审核通过：单位已电话核实"]


def test_a_form_with_errors_cannot_be_approved_even_with_everything_acknowledged(reviewer):
    evaluation = with_errors()
    with pytest.raises(workflow.WorkflowError, match="错误标记"):
        workflow.approve(evaluation, reviewer, acknowledged_codes=["E_TOTAL", "W_DEDUCTION_UNEXPLAINED"])
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED and not WorkflowEvent.objects.exists()


def test_unapprove_needs_a_reason_and_reopens_the_review(reviewer):
    evaluation = workflow.approve(factory.make_submitted_evaluation(), reviewer)
    with pytest.raises(workflow.WorkflowError, match="理由"):
        workflow.unapprove(evaluation, reviewer, "")
    evaluation = workflow.unapprove(evaluation, reviewer, "发现执行数有误")
    assert evaluation.status == Status.SUBMITTED
    assert [e.action for e in evaluation.events.all()] == ["approve", "unapprove"]
    assert evaluation.comments.last().text == "撤销审核：发现执行数有误"


def act(name, evaluation, user):
    return {
        "submit": lambda: workflow.submit(evaluation, user),
        "return": lambda: workflow.return_for_revision(evaluation, user, "意见"),
        "approve": lambda: workflow.approve(evaluation, user),
        "unapprove": lambda: workflow.unapprove(evaluation, user, "理由"),
    }[name]()


FORBIDDEN = [
    ("submit", Status.SUBMITTED), ("submit", Status.APPROVED),
    ("return", Status.DRAFT), ("return", Status.RETURNED), ("return", Status.APPROVED),
    ("approve", Status.DRAFT), ("approve", Status.RETURNED), ("approve", Status.APPROVED),
    ("unapprove", Status.DRAFT), ("unapprove", Status.SUBMITTED), ("unapprove", Status.RETURNED),
]


@pytest.mark.parametrize("action, status", FORBIDDEN)
def test_forbidden_transitions_are_refused_and_leave_no_trace(reviewer, action, status):
    evaluation = factory.make_evaluation(status=status)
    with pytest.raises(workflow.WorkflowError, match="当前状态为"):
        act(action, evaluation, reviewer)
    evaluation.refresh_from_db()
    assert evaluation.status == status and evaluation.version == 1
    assert not WorkflowEvent.objects.exists() and not ReviewComment.objects.exists()


@pytest.mark.parametrize("action, status", [
    ("submit", Status.DRAFT), ("return", Status.SUBMITTED), ("approve", Status.SUBMITTED),
    ("unapprove", Status.APPROVED),
])
def test_acting_on_a_version_the_person_did_not_see_is_refused(reviewer, action, status):
    evaluation = factory.make_evaluation(status=status)
    Evaluation.objects.filter(pk=evaluation.pk).update(version=2)  # someone saved meanwhile
    kwargs = {"comment": "意见"} if action in ("return", "unapprove") else {}
    function = {"submit": workflow.submit, "return": workflow.return_for_revision, "approve": workflow.approve,
                "unapprove": workflow.unapprove}[action]
    with pytest.raises(workflow.WorkflowError, match="第 1 版，现在是第 2 版"):
        function(evaluation, reviewer, expected_version=1, **kwargs)
    assert not WorkflowEvent.objects.exists()
    assert function(evaluation, reviewer, expected_version=2, **kwargs).version == 3


def test_a_transition_that_fails_midway_writes_neither_status_nor_event(reviewer, monkeypatch):
    evaluation = factory.make_submitted_evaluation()

    def broken(**fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ReviewComment.objects, "create", broken)
    with pytest.raises(RuntimeError):
        workflow.return_for_revision(evaluation, reviewer, "请修改")
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED and not WorkflowEvent.objects.exists()
    assert evaluation.history.count() == 2  # created, then rescored by the factory; no third row


def test_each_transition_leaves_a_history_row_naming_the_action_and_the_person(reviewer):
    evaluation = workflow.approve(factory.make_submitted_evaluation(), reviewer)
    latest = evaluation.history.first()
    assert (latest.history_user, latest.history_change_reason) == (reviewer, "审核通过")
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert changes["status"] == ("submitted", "approved") and changes["version"] == (1, 2)


def test_comments_are_appended_never_empty(reviewer):
    evaluation = factory.make_submitted_evaluation()
    with pytest.raises(workflow.WorkflowError, match="不能为空"):
        workflow.add_comment(evaluation, reviewer, "  ")
    workflow.add_comment(evaluation, reviewer, "第一条")
    workflow.add_comment(evaluation, reviewer, "第二条")
    assert [c.text for c in evaluation.comments.all()] == ["第一条", "第二条"]
