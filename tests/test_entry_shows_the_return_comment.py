"""A returned evaluation is editable again, with the reviewer's latest return comment on top."""

import pytest
from django.urls import reverse

from evaluations import workflow
from tests import factory

pytestmark = pytest.mark.django_db


def test_the_latest_return_comment_is_shown_above_the_editable_form(client):
    staff = factory.make_staff()
    reviewer = factory.make_user("reviewer", "审核人", department=factory.make_department(), first_name="审核", last_name="李")
    evaluation = factory.make_evaluation()
    workflow.submit(evaluation, staff)
    workflow.return_for_revision(evaluation, reviewer, "第一次：请补充偏差原因。")
    workflow.submit(evaluation, staff)
    workflow.return_for_revision(evaluation, reviewer, "第二次：满意度得分与完成情况不符。")

    client.force_login(staff)
    page = client.get(reverse("evaluation_entry", args=[evaluation.pk])).content.decode()
    comment = page.index("审核人的退回意见")
    assert comment < page.index("data-entry-form")
    assert "第二次：满意度得分与完成情况不符。" in page
    assert "第一次" not in page
    assert "李审核" in page


def test_a_draft_has_no_return_comment(client):
    evaluation = factory.make_evaluation()
    client.force_login(factory.make_staff())
    assert "审核人的退回意见" not in client.get(reverse("evaluation_entry", args=[evaluation.pk])).content.decode()
