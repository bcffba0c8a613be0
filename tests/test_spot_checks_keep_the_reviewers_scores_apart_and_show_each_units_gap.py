"""抽评: a reviewer re-scores a submitted form — a score per indicator, a total and a comment — kept apart from
the staff's figures and audited; the dashboard shows each unit's gap between self-scores and spot-check
scores; a random sample of N forms is drawn and the draw recorded."""

import random
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluations import spot_checks
from evaluations.models import Evaluation, SpotCheck, SpotCheckDraw, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db
AHEAD = "国内外科技合作交流"


@pytest.fixture
def sample():
    forms = {f["project_name"]: factory.make_sample_evaluation(f) for f in
             (factory.sample_form(AHEAD), factory.sample_form("火灾报警系统升级改造"))}
    Evaluation.objects.update(status=Evaluation.Status.SUBMITTED)
    return forms


@pytest.fixture
def reviewer(sample):
    return factory.make_reviewer("reviewer", sample[AHEAD].department)


def spot_data(evaluation, comment="国际交流场次证明材料不足，酌情扣分。", **changes):
    data = {f"score_{i.position}": str(i.score) for i in evaluation.indicators.all()}
    data.update({f"score_{position}": score for position, score in changes.items()})
    return {**data, "comment": comment}


def test_a_reviewer_rescores_a_form_and_the_staff_figures_stay(client, sample, reviewer):
    form = sample[AHEAD]
    before = (form.figures(), form.computed_total, form.version)
    client.force_login(reviewer)
    page = client.get(reverse("spot_check", args=[form.pk]))
    assert page.status_code == 200 and "自评得分" in page.content.decode()
    response = client.post(reverse("spot_check", args=[form.pk]), spot_data(form, **{"9": "1.00", "10": "1.50"}))
    assert response.status_code == 302
    check = SpotCheck.objects.get(evaluation=form)
    weights = {i.position: i.weight for i in form.indicators.all()}
    assert (check.score_at(9), check.score_at(10)) == (D("1.00"), D("1.50"))
    expected = form.computed().funding_score + sum(i.score for i in form.indicators.all()) \
        - (weights[9] - D("1.00")) - (weights[10] - D("1.50"))
    assert check.total == expected and check.self_total == form.computed_total
    form.refresh_from_db()
    assert (form.figures(), form.computed_total, form.version) == before
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.SPOT_CHECK)
    assert event.actor == reviewer and f"抽评总分 {check.total}" in event.comment
    assert [h.history_user for h in check.history.all()] == [reviewer]


def test_scores_are_checked_against_each_weight_and_a_comment_is_required(client, sample, reviewer):
    form = sample[AHEAD]
    client.force_login(reviewer)
    weight = form.indicators.get(position=1).weight
    response = client.post(reverse("spot_check", args=[form.pk]), spot_data(form, **{"1": str(weight + 1)}))
    assert response.status_code == 400 and f"不能超过分值 {weight}" in response.content.decode()
    response = client.post(reverse("spot_check", args=[form.pk]), spot_data(form, comment=""))
    assert response.status_code == 400
    response = client.post(reverse("spot_check", args=[form.pk]), spot_data(form, **{"2": "abc"}))
    assert response.status_code == 400 and "请填写数字" in response.content.decode()
    assert not SpotCheck.objects.exists()


def test_a_draft_cannot_be_spot_checked(sample, reviewer):
    Evaluation.objects.filter(pk=sample[AHEAD].pk).update(status=Evaluation.Status.DRAFT)
    with pytest.raises(spot_checks.SpotCheckRefused, match="尚未提交"):
        spot_checks.record(sample[AHEAD], reviewer, {}, "意见")


def test_only_the_departments_reviewer_spot_checks(client, sample):
    url = reverse("spot_check", args=[sample[AHEAD].pk])
    elsewhere = factory.make_reviewer("elsewhere", factory.make_department("上海市财政局"))
    for user in (factory.make_staff("staff", sample[AHEAD].unit), factory.make_auditor(), elsewhere):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, spot_data(sample[AHEAD])).status_code == 404
        # Only reviewers draw, and only among their own department's forms (here: none).
        assert client.post(reverse("spot_check_draw"), {"year": 2023, "size": 1}).status_code == (
            302 if user == elsewhere else 404)
    client.logout()
    assert client.get(url).status_code == 302
    assert not SpotCheck.objects.exists() and not SpotCheckDraw.objects.exists()


def test_the_dashboard_shows_each_units_gap(client, sample, reviewer):
    other_unit = factory.make_unit("上海市科技人才发展中心", sample[AHEAD].department)
    other = factory.make_submitted_evaluation(project=factory.make_project("科技人才培训", other_unit))
    for evaluation in (sample[AHEAD], sample["火灾报警系统升级改造"], other):
        scores = {i.position: i.score for i in evaluation.indicators.all()}
        scores[max(scores, key=scores.get)] -= D("5.00")  # five points off the highest-scored indicator
        spot_checks.record(evaluation, reviewer, scores, "抽评意见")
    client.force_login(reviewer)
    gaps = {row.unit: row for row in client.get(reverse("dashboard"), {"year": 2023}).context["figures"].spot_gaps}
    own = gaps["上海科学技术交流中心"]
    assert own.checked == 2
    assert own.self_average == ((sample[AHEAD].computed_total + sample["火灾报警系统升级改造"].computed_total) / 2).quantize(
        D("0.01"), ROUND_HALF_UP)  # 99.655
    assert own.gap == D("5.00")
    assert (gaps["上海市科技人才发展中心"].checked, gaps["上海市科技人才发展中心"].gap) == (1, D("5.00"))
    assert "抽评：自评与抽评得分的差距" in client.get(reverse("dashboard")).content.decode()


def test_a_random_sample_is_drawn_recorded_and_audited(client, sample, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("spot_check_draw"), {"year": 2023, "size": 1}, follow=True)
    assert "已从 2 份中随机抽取 1 份待抽评" in response.content.decode()
    drawn = SpotCheckDraw.objects.get()
    assert (drawn.size, drawn.population, drawn.drawn_by, drawn.year) == (1, 2, reviewer, 2023)
    (chosen,) = drawn.evaluations.all()
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.DRAWN)
    assert event.evaluation == chosen and f"第 {drawn.pk} 次" in event.comment
    assert reverse("spot_check", args=[chosen.pk]) in response.content.decode()

    response = client.post(reverse("spot_check_draw"), {"year": 2023, "size": 3}, follow=True)
    assert "抽取份数应在 1 至 2 之间" in response.content.decode()
    assert SpotCheckDraw.objects.count() == 1


def test_the_draw_is_uniform_over_the_forms_handed_in(sample, reviewer):
    draft = factory.make_evaluation(factory.make_project("草稿项目"))  # never drawn
    counts = {}
    rng = random.Random(16)
    for _ in range(200):
        drawn = spot_checks.draw(reviewer, Evaluation.objects.all(), reviewer.profile.department, 2023, 1, rng)
        (chosen,) = drawn.evaluations.all()
        counts[chosen.pk] = counts.get(chosen.pk, 0) + 1
    assert draft.pk not in counts
    assert set(counts) == {e.pk for e in sample.values()} and min(counts.values()) > 70
