"""Two reviewers act on one submitted form at the same moment: exactly one action happens; the other
waits for the first one's row lock, then is refused in Chinese. Real threads, real PostgreSQL locks."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from evaluations import workflow
from evaluations.models import Evaluation, ReviewComment
from tests import factory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]

HOLD = 0.5  # seconds the first one keeps its transaction open after moving the form
REFUSED_AFTER = {
    "approve": "该自评表当前状态为“已通过”，不能{doing}。请刷新页面查看最新状态。",
    "return": "该自评表当前状态为“已退回”，不能{doing}。请刷新页面查看最新状态。",
}


@pytest.fixture
def reviewers(monkeypatch):
    factory.pause_after(monkeypatch, "evaluations.workflow._move", HOLD)
    return factory.make_reviewer("wang"), factory.make_reviewer("zhao")


def winner_and_loser(outcomes, names):
    """The name of the action that happened, and the (error, seconds) of the one refused."""
    done = [name for name, (result, _) in zip(names, outcomes) if isinstance(result, Evaluation)]
    refused = [outcome for outcome in outcomes if isinstance(outcome[0], workflow.WorkflowError)]
    assert len(done) == len(refused) == 1, outcomes
    return done[0], refused[0]


def test_an_approval_and_a_return_at_the_same_moment_make_one_transition(reviewers):
    wang, zhao = reviewers
    evaluation = factory.make_submitted_evaluation()

    outcomes = factory.at_the_same_moment(
        lambda: workflow.approve(evaluation, wang),
        lambda: workflow.return_for_revision(evaluation, zhao, "请补充偏差原因"),
    )

    done, (error, waited) = winner_and_loser(outcomes, ["approve", "return"])
    doing = "退回" if done == "approve" else "审核通过"
    assert str(error) == REFUSED_AFTER[done].format(doing=doing)
    assert waited > HOLD * 0.6  # it queued on the row lock instead of reading the old status
    evaluation.refresh_from_db()
    actor = {"approve": "wang", "return": "zhao"}[done]
    status = {"approve": Evaluation.Status.APPROVED, "return": Evaluation.Status.RETURNED}[done]
    assert list(evaluation.events.values_list("action", "actor__username", "to_status")) == [(done, actor, status)]
    assert (evaluation.status, evaluation.version) == (status, 2)
    assert ReviewComment.objects.count() == (1 if done == "return" else 0)


def test_two_approvals_at_the_same_moment_approve_once(reviewers):
    wang, zhao = reviewers
    evaluation = factory.make_submitted_evaluation()

    outcomes = factory.at_the_same_moment(
        lambda: workflow.approve(evaluation, wang, comment="王：同意"),
        lambda: workflow.approve(evaluation, zhao, comment="赵：同意"),
    )

    done, (error, waited) = winner_and_loser(outcomes, ["wang", "zhao"])
    assert str(error) == REFUSED_AFTER["approve"].format(doing="审核通过")
    assert waited > HOLD * 0.6
    evaluation.refresh_from_db()
    assert list(evaluation.events.values_list("action", "actor__username")) == [("approve", done)]
    assert (evaluation.status, evaluation.version) == (Evaluation.Status.APPROVED, 2)
    assert list(ReviewComment.objects.values_list("author__username", flat=True)) == [done]


def test_two_review_pages_of_one_version_submitted_at_once_show_one_done_and_one_refused(reviewers):
    evaluation = factory.make_submitted_evaluation()
    clients = []
    for reviewer in reviewers:
        clients.append(Client())
        clients[-1].force_login(reviewer)
    page_version = {"version": evaluation.version}

    approve_page, return_page = (response for response, _ in factory.at_the_same_moment(
        lambda: clients[0].post(reverse("review_approve", args=[evaluation.pk]), page_version, follow=True),
        lambda: clients[1].post(
            reverse("review_return", args=[evaluation.pk]), {**page_version, "comment": "请补充偏差原因"}, follow=True,
        ),
    ))

    evaluation.refresh_from_db()
    approved = evaluation.status == Evaluation.Status.APPROVED
    winner, loser = (approve_page, return_page) if approved else (return_page, approve_page)
    assert winner.status_code == loser.status_code == 200
    done_message = "已审核通过，表单已锁定" if approved else "已退回“火灾报警系统升级改造”"
    assert done_message in winner.content.decode()
    assert ("该自评表在您打开页面后已被修改（您看到的是第 1 版，现在是第 2 版），操作未执行。请查看最新内容后再操作。"
            in loser.content.decode())
    assert evaluation.events.count() == 1 and evaluation.version == 2
