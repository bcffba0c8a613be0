"""In Chromium: the §6 flags where people look. Staff see 得分高于花钱 and 满意度缺佐证 as they type (and
see them go when the figures change), and the copied explanation named after the last save; the reviewer
sees all three on the review page, with their plain titles."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in

COPIED = "受疫情影响，部分线下交流活动改为线上举办，参与人数低于预期，下年度将提前做好应急预案。"


def figures(deviation):
    """90 of 100 spent, indicators scored in full, satisfaction 98 %, one deduction explained by `deviation`."""
    figures = factory.clean_figures(funding=factory.funding_figures("100.00", "90.00", rate="90.00", score="9.00"))
    figures.indicators[0] = factory.indicator(actual="1.90(场)", score="47.50", deviation=deviation)
    figures.indicators[2] = factory.indicator("满意度指标", "服务对象满意度指标", "参会满意度", "≥90(%)", "98.00(%)", "10.00")
    figures.declared_total = D("96.50")
    return figures


@pytest.fixture
def forms(transactional_db):
    department = factory.make_department()
    other_unit = factory.make_unit("上海市科技人才发展中心", department)
    factory.make_evaluation(factory.make_project("科技人才培训", other_unit), 2023, figures(COPIED), Evaluation.Status.SUBMITTED)
    staff = factory.make_staff("staff", factory.make_unit("上海科学技术交流中心", department))
    copy = factory.make_evaluation(factory.make_project("科普讲解大赛", staff.profile.unit), 2023, figures(COPIED))
    return copy


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_see_the_plausibility_flags_as_they_type(page, screenshot, forms):
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(f"/evaluations/{forms.pk}/edit/")
    ahead = page.locator('li.flag[data-code="W_SCORE_AHEAD_OF_SPENDING"]')
    expect(ahead).to_contain_text("明显高于预算执行率 90.00%")
    satisfaction = page.locator('li.flag[data-code="I_SATISFACTION_UNSUPPORTED"]')
    expect(satisfaction).to_contain_text("满意度完成值 98.00(%) 不低于 95%")
    reused = page.locator('li.saved-flag[data-code="W_TEXT_REUSED"]')
    expect(reused).to_contain_text("《科技人才培训》（上海市科技人才发展中心，2023年度）第 1 项指标")
    screenshot("plausibility-entry")

    page.fill('[name="funding-0-executed"]', "100.00")
    page.fill('[name="funding-1-executed"]', "100.00")
    expect(ahead).to_have_count(0)
    page.get_by_label("第3行 实际完成值", exact=True).fill("94.00(%)")
    expect(satisfaction).to_have_count(0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_reviewer_sees_them_on_the_review_page(page, screenshot, forms):
    factory.make_reviewer()
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto(f"/review/{forms.pk}/")
    for title in ("得分高于花钱", "文字雷同", "满意度缺佐证"):
        expect(page.get_by_text(title).first).to_be_visible()
    expect(page.get_by_text("《科技人才培训》（上海市科技人才发展中心，2023年度）").first).to_be_visible()
    screenshot("plausibility-review")
