"""In Chromium: a reviewer draws one form to spot-check from the dashboard, re-scores it lower on one
indicator with a comment, and the dashboard shows the unit's gap between self-score and spot-check score."""

import pytest
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_draws_rescores_and_sees_the_gap(page, screenshot):
    form = factory.make_sample_evaluation(factory.sample_form("国内外科技合作交流"))
    Evaluation.objects.update(status=Evaluation.Status.SUBMITTED)
    factory.make_reviewer("reviewer", form.department)
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto("/dashboard/")
    expect(page.get_by_text("本年度尚无抽评")).to_be_visible()
    page.get_by_label("抽取份数").fill("1")
    page.get_by_role("button", name="抽取").click()
    expect(page.get_by_text("已从 1 份中随机抽取 1 份待抽评")).to_be_visible()
    page.get_by_role("link", name="上海科学技术交流中心 · 国内外科技合作交流").click()

    weight = form.indicators.get(position=1).weight
    score = page.get_by_label("第1项指标 抽评得分")
    expect(score).to_have_value(str(form.indicators.get(position=1).score))
    score.fill(str(weight - 2))
    page.get_by_label("抽评意见（必填）").fill("第 1 项佐证不足，扣 2 分。")
    page.get_by_role("button", name="保存抽评").click()
    expect(page.get_by_text("抽评已保存：抽评总分 97.45，自评总分 99.45。")).to_be_visible()

    page.goto("/dashboard/#spot-checks")
    row = page.locator("#spot-checks tbody tr").first
    expect(row).to_contain_text("上海科学技术交流中心")
    expect(row).to_contain_text("2.00")
    expect(page.get_by_text("（已抽评：97.45，自评 99.45）")).to_be_visible()
    screenshot("spot-check-dashboard")
