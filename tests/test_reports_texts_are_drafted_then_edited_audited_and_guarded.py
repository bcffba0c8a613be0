"""The report's problems and improvements: drafted from the form's own texts, edited on a page, each save
kept in the history with who and when, a stale page refused, bad input answered in Chinese."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import scoring_rules
from reports import drafting
from reports.models import ReportText
from tests import factory
from tests.reports_helpers import DEVIATION, deducted_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return factory.make_submitted_evaluation(deducted_figures())


@pytest.fixture
def staff(evaluation):
    return factory.make_staff(unit=evaluation.unit)


def test_the_reason_and_the_measure_of_a_deviation_are_told_apart():
    assert drafting.split_deviation(DEVIATION) == ("受场地改造影响，两场讲座顺延至次年", "提前落实备用场地，按季度跟踪进度。")
    assert drafting.split_deviation("人员变动。下一步：补充人员") == ("人员变动", "补充人员")
    assert drafting.split_deviation("仅有原因") == ("仅有原因", "")


def test_the_draft_names_each_deduction_and_the_unspent_budget():
    figures = deducted_figures()
    figures.funding = factory.funding_figures("200.00", "150.00", rate="75.00", score="7.50")
    problems = drafting.draft_problems(figures, Decimal("75.00"))
    assert problems.splitlines() == [
        "1. 预算执行率为 75.00%，全年预算 200.00 万元中有 50.00 万元未执行。",
        "2. “服务对象满意度”年度指标值为 满意，实际完成值为 部分达成，扣 3.00 分。原因：受场地改造影响，两场讲座顺延至次年。",
    ]
    improvements = drafting.draft_improvements(figures, Decimal("75.00"))
    assert "1. 针对“服务对象满意度”：提前落实备用场地，按季度跟踪进度。" in improvements
    assert "提高预算执行率" in improvements
    clean = factory.clean_figures()
    assert "未发现明显问题" in drafting.draft_problems(clean, Decimal("100.00"))


def test_the_page_shows_the_draft_and_saves_the_edit_with_its_history(client, evaluation, staff):
    client.force_login(staff)
    url = reverse("report_texts", args=[evaluation.pk])
    page = client.get(url).content.decode()
    assert "初稿" in page and "提前落实备用场地" in page
    response = client.post(url, {"problems": "问题一", "improvements": "措施一", "version": 0})
    assert response.status_code == 302
    texts = ReportText.objects.get(evaluation=evaluation)
    assert (texts.problems, texts.improvements, texts.version, texts.updated_by) == ("问题一", "措施一", 1, staff)
    client.post(url, {"problems": "问题二", "improvements": "措施一", "version": 1})
    history = list(texts.history.order_by("history_date"))
    assert [(row.problems, row.history_user, row.history_type) for row in history] == [
        ("问题一", staff, "+"), ("问题二", staff, "~")]
    page = client.get(url).content.decode()
    assert "修改记录" in page and "问题二" in page


def test_a_stale_page_is_refused_and_loses_nothing(client, evaluation, staff):
    reviewer = factory.make_reviewer(department=evaluation.department)
    ReportText.save_texts(evaluation, reviewer, "审核人改过", "措施", expected_version=0)
    client.force_login(staff)
    response = client.post(reverse("report_texts", args=[evaluation.pk]),
                           {"problems": "旧页面", "improvements": "旧页面", "version": 0}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert ReportText.objects.get().problems == "审核人改过"


@pytest.mark.parametrize("data", [
    {"problems": "", "improvements": "措施", "version": 0},
    {"problems": "问题", "improvements": "措施", "version": "abc"},
    {"problems": "问题" * 3000, "improvements": "措施", "version": 0},
    {},
])
def test_bad_input_gets_a_chinese_error_and_saves_nothing(client, evaluation, staff, data):
    client.force_login(staff)
    response = client.post(reverse("report_texts", args=[evaluation.pk]), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ReportText.objects.exists()
