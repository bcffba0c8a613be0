"""Submitting from the entry page: saved first, then submitted only without error flags and with every
deduction explained; otherwise the draft is kept and the Chinese reason shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import workflow
from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(client):
    client.force_login(factory.make_staff())
    return factory.make_evaluation()


def submit(client, evaluation, figures):
    url = reverse("evaluation_entry", args=[evaluation.pk])
    return client.post(url, factory.entry_form_data(figures, evaluation.version, action="submit"), follow=True)


def test_a_clean_form_is_saved_and_submitted(client, evaluation):
    response = submit(client, evaluation, factory.clean_figures())
    assert "已提交审核" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert list(evaluation.events.values_list("action", flat=True)) == ["save", "submit"]


def test_an_error_flag_keeps_it_a_draft_and_says_why(client, evaluation):
    figures = factory.clean_figures()
    figures.indicators[0].weight = figures.indicators[0].score = Decimal("40.00")  # weights add up to 90
    response = submit(client, evaluation, figures)
    page = response.content.decode()
    assert "草稿已保存（第 2 版），但不能提交：还有 1 个错误标记需要改正。" in page
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.indicators.get(position=1).weight == Decimal("40.00")  # the input was saved
    assert list(evaluation.events.values_list("action", flat=True)) == ["save"]


def test_an_unexplained_deduction_keeps_it_a_draft(client, evaluation):
    figures = factory.clean_figures()
    figures.indicators[2].score = Decimal("9.00")  # 达成指标: 9 of 10 is inside its band
    response = submit(client, evaluation, figures)
    assert "有扣分的指标未填写偏差原因分析及改进措施。" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT

    figures.indicators[2].deviation = "个别服务对象反映等候时间偏长。"
    submit(client, evaluation, figures)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED


def test_warnings_other_than_a_deduction_do_not_block(client, evaluation):
    figures = factory.clean_figures()
    figures.indicators[0] = factory.indicator(target="=2(null)", actual="2.00(场)")  # W_UNIT_MISSING
    submit(client, evaluation, figures)
    evaluation.refresh_from_db()
    assert evaluation.has_flag("W_UNIT_MISSING")
    assert evaluation.status == Evaluation.Status.SUBMITTED


def test_a_returned_form_can_be_corrected_and_submitted_again(client, evaluation):
    reviewer = factory.make_reviewer()
    workflow.submit(evaluation, factory.make_staff("colleague"))
    workflow.return_for_revision(evaluation, reviewer, "请核对满意度得分。")
    evaluation.refresh_from_db()
    submit(client, evaluation, factory.clean_figures())
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert list(evaluation.events.values_list("action", flat=True)) == ["submit", "return", "save", "submit"]
