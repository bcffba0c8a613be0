"""Staff and printouts read a flag's title and message, never its code; reviewers may find the code in a
tooltip. The entry page states the rules before any error: the 10/50/30/10 split, the score bands of a
qualitative row, and what 偏差原因分析及改进措施 must say."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import flag_help
from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in

CODE = re.compile(r"\b[EWI]_[A-Z_]{3,}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_read_flag_titles_and_rules_and_no_code_on_screen_or_paper(page, screenshot):
    evaluation = factory.make_sample_evaluation(factory.sample_form("技术转移合作"))  # W_UNIT_MISSING on 13, 14
    factory.make_staff(unit=evaluation.project.unit)
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))

    expect(page.locator('li.flag[data-code="W_UNIT_MISSING"]').first).to_contain_text(
        flag_help.FLAG_HELP["W_UNIT_MISSING"].title)
    assert CODE.findall(page.inner_text("body")) == []
    expect(page.locator("[data-rules]")).to_contain_text("建议预算执行 10、产出 50、效益 30、满意度 10")
    expect(page.locator("[data-rules]")).to_contain_text("须写明：未完成（或超额）的原因")

    cell = lambda row, label: page.get_by_label(f"第{row}行 {label}", exact=True)  # noqa: E731
    cell(1, "年度指标值").fill("按期完成")
    cell(1, "分值").fill("10")
    cell(1, "实际完成值").fill("部分达成指标并具有一定效果")
    expect(page.locator("[data-indicator-row]").first.locator("[data-band-hint]")).to_have_text(
        "应得 部分达成 6.00–8.00（不含） 分")
    screenshot("entry-flags-in-words")
    page.emulate_media(media="print")
    assert CODE.findall(page.inner_text("body")) == []


@pytest.mark.django_db
def test_the_read_only_page_shows_titles_and_the_review_page_keeps_codes_in_tooltips(client):
    evaluation = factory.make_sample_evaluation(factory.sample_form("技术转移合作"))
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SUBMITTED)
    client.force_login(factory.make_staff(unit=evaluation.project.unit))
    staff_page = client.get(reverse("evaluation_entry", args=[evaluation.pk])).content.decode()
    assert "缺少单位" in staff_page
    assert CODE.findall(re.sub(r'(data-code|title)="[^"]*"', "", staff_page)) == []
    assert 'title="W_UNIT_MISSING"' not in staff_page

    client.force_login(factory.make_reviewer(department=evaluation.project.unit.department))
    review_page = client.get(reverse("review_evaluation", args=[evaluation.pk])).content.decode()
    assert 'title="W_UNIT_MISSING"' in review_page
    assert CODE.findall(re.sub(r'(data-code|title|value)="[^"]*"', "", review_page)) == []
