"""In Chromium: the entry page's summary line counts the target warnings (W_TARGET_CHANGED) the server's live check
draws, and says the form cannot be submitted while a change has no stated reason, as the submission refuses it;
putting the approved target back makes the form ready again."""

import pytest
from playwright.sync_api import expect

from targets import workflow
from targets.models import TargetTable
from tests import factory
from tests.conftest import sign_in
from tests.targets_factory import make_table


@pytest.fixture
def evaluation(transactional_db):
    staff = factory.make_staff()
    evaluation = workflow.start_evaluation(make_table(status=TargetTable.Status.APPROVED), staff)
    evaluation.replace_figures(factory.clean_figures(), staff)  # complete, and as approved
    evaluation.rescore()
    return evaluation


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_summary_counts_a_changed_target_and_is_not_ready_without_a_reason(page, screenshot, evaluation):
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(f"/evaluations/{evaluation.pk}/edit/")
    summary = page.locator("[data-out=summary]")
    expect(summary).to_contain_text("警告 0")
    expect(summary).to_contain_text("可以提交")

    page.fill('[name="indicators-1-target"]', "≥80(%)")
    page.locator('[name="indicators-1-target"]').blur()
    expect(page.locator('li.flag[data-code="W_TARGET_CHANGED"]')).to_have_count(1)
    expect(page.locator('li.flag[data-code="W_TARGET_CHANGED"]')).to_contain_text("改动绩效目标")
    expect(page.locator("form[data-entry-form]")).not_to_contain_text("W_TARGET_CHANGED")  # staff read titles, not codes
    expect(summary).to_contain_text("警告 1")
    expect(summary).to_contain_text("有 1 处与批准的绩效目标不同，尚未说明调整理由。")
    expect(summary).not_to_contain_text("可以提交")
    screenshot("entry-summary-counts-target-warnings")

    page.fill('[name="indicators-1-target"]', "≥90(%)")
    expect(page.locator('li.flag[data-code="W_TARGET_CHANGED"]')).to_have_count(0)
    expect(summary).to_contain_text("警告 0")
    expect(summary).to_contain_text("可以提交")
