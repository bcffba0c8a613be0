"""Saving the entry page: declared rates, budget score, total and grade are the computed ones; rows keep
page order; the save is logged (WorkflowEvent save, history rows carry who) and bumps the version."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import scoring
from evaluations.models import Evaluation, FundingLine, Indicator, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db
FIRE_ALARM = factory.sample_form("火灾报警系统升级改造")


@pytest.fixture
def staff():
    return factory.make_staff()


@pytest.fixture
def evaluation(staff):
    # An empty evaluation, as "新建自评表" leaves it.
    return Evaluation.objects.create(project=factory.make_project(), year=2023)


def typed(figures):
    """What staff type: amounts, weights and scores only; nothing declared."""
    for line in figures.funding:
        line.rate = line.score = None
    figures.declared_total, figures.declared_grade = None, ""
    return figures


def save(client, staff, evaluation, figures, **fields):
    client.force_login(staff)
    data = factory.entry_form_data(figures, evaluation.version, **fields)
    return client.post(reverse("evaluation_entry", args=[evaluation.pk]), data)


def test_the_fire_alarm_form_is_stored_exactly_as_printed(client, staff, evaluation):
    response = save(client, staff, evaluation, typed(factory.sample_figures(FIRE_ALARM)), goal_expected="通过购买维修改造服务")
    assert response.status_code == 302
    assert response.url == reverse("evaluation_entry", args=[evaluation.pk])
    evaluation.refresh_from_db()
    assert evaluation.figures() == factory.sample_figures(FIRE_ALARM)  # 98.67, 9.86, 99.86, 优
    assert (evaluation.computed_total, evaluation.computed_grade) == (Decimal("99.86"), "优")
    assert evaluation.flag_codes == "I_SATISFACTION_UNSUPPORTED I_WEIGHT_SPLIT"  # 100.00(百分比), no evidence
    assert evaluation.goal_expected == "通过购买维修改造服务"
    assert evaluation.version == 2
    assert evaluation.has_deviation_column


def test_the_415_18_of_439_02_edge_is_cut_like_the_server(client, staff, evaluation):
    figures = factory.clean_figures(funding=factory.funding_figures("439.02", "415.18"))
    save(client, staff, evaluation, typed(figures))
    total = evaluation.funding_lines.get(kind="total")
    assert (total.declared_rate, total.declared_score) == (Decimal("94.56"), Decimal("9.45"))
    assert evaluation.funding_lines.get(kind="carryover").declared_rate == Decimal("0.00")
    evaluation.refresh_from_db()
    assert evaluation.declared_total == Decimal("99.45")


def test_rounding_follows_the_deployment_setting(client, staff, evaluation, settings):
    settings.ZPB_SCORING = {**settings.ZPB_SCORING, "rounding": "half_up"}
    save(client, staff, evaluation, typed(factory.clean_figures(funding=factory.funding_figures("439.02", "415.18"))))
    total = evaluation.funding_lines.get(kind="total")
    assert (total.declared_rate, total.declared_score) == (Decimal("94.57"), Decimal("9.46"))


def test_a_draft_with_error_flags_is_saved_and_counted(client, staff, evaluation):
    figures = factory.clean_figures()
    figures.indicators[0].weight = Decimal("45.00")
    figures.indicators[0].score = Decimal("45.00")
    response = save(client, staff, evaluation, typed(figures))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.has_flag("E_WEIGHTS")
    assert evaluation.error_count == 1


def test_rows_are_stored_in_page_order(client, staff, evaluation):
    figures = factory.clean_figures()
    figures.indicators.reverse()
    save(client, staff, evaluation, typed(figures))
    assert list(evaluation.indicators.values_list("position", "level1")) == [
        (1, "满意度指标"), (2, "效益指标"), (3, "产出指标"),
    ]


def test_each_save_is_logged_with_who_saved(client, staff, evaluation):
    save(client, staff, evaluation, typed(factory.clean_figures()))
    evaluation.refresh_from_db()
    save(client, staff, evaluation, typed(factory.clean_figures(indicators=factory.clean_figures().indicators[:2])))
    events = list(evaluation.events.values_list("action", "actor", "from_status", "to_status"))
    assert events == [("save", staff.pk, "draft", "draft")] * 2
    assert evaluation.history.filter(history_user=staff).count() == 2
    assert FundingLine.history.filter(evaluation_id=evaluation.pk, history_user=staff).exists()
    deleted = Indicator.history.filter(evaluation_id=evaluation.pk, history_type="-")
    assert list(deleted.values_list("position", "history_user")) == [(3, staff.pk)]


def test_a_returned_evaluation_stays_returned_when_saved(client, staff):
    evaluation = factory.make_evaluation(status=Evaluation.Status.RETURNED)
    save(client, staff, evaluation, typed(factory.clean_figures()))
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RETURNED
    assert evaluation.events.get().action == WorkflowEvent.Action.SAVE


def test_the_figures_the_page_sends_give_the_flags_the_server_stores(client, staff, evaluation):
    figures = factory.clean_figures()
    figures.indicators[1] = factory.indicator("效益指标", "社会效益指标", "服务覆盖面", "≥90(%)", "60(%)", "30.00", "25.00")
    save(client, staff, evaluation, typed(figures))
    evaluation.refresh_from_db()
    assert [(f.code, f.indicator) for f in evaluation.flags()] == [
        ("E_INDICATOR_SCORE", 2), ("W_DEDUCTION_UNEXPLAINED", 2),
    ]
    assert evaluation.indicators.get(position=2).suggested_score() == Decimal("20.00")
    assert scoring.grade_for(evaluation.declared_total) == evaluation.declared_grade == "优"
