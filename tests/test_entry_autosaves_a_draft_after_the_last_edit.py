"""The entry page saves the draft by itself a few seconds after the last edit (as 保存草稿 would: audited,
version checked); it waits while a cell holds what cannot be stored and stops on a stale page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import entry
from evaluations.models import Evaluation, WorkflowEvent
from tests import factory
from tests.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pause_in_typing_saves_the_draft_and_a_stale_page_stops_autosaving(page, settings):
    settings.ZPB_AUTOSAVE_SECONDS = 1
    evaluation = entry.start_evaluation(factory.make_unit(), 2023, factory.make_staff(), project_name="新项目")
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))
    status = page.locator("[data-out=autosave]")

    page.get_by_label("年度资金总额 全年预算数").fill("100")
    expect(status).to_have_text("已自动保存（第 2 版）。")
    saved = Evaluation.objects.get(pk=evaluation.pk)
    assert saved.funding_lines.get(kind="total").budget_full_year == 100
    assert saved.events.filter(action=WorkflowEvent.Action.SAVE, actor__username="staff").count() == 1
    expect(page.locator('[data-out="version"]')).to_have_text("2")

    page.get_by_label("年度资金总额 全年执行数").fill("五十")  # cannot be stored: no autosave
    page.wait_for_timeout(1800)
    assert Evaluation.objects.get(pk=evaluation.pk).version == 2

    page.get_by_label("年度资金总额 全年执行数").fill("50")
    expect(status).to_have_text("已自动保存（第 3 版）。")
    page.get_by_role("button", name="保存草稿").click()  # the version autosave gave is the page's: not stale
    expect(page.get_by_text("草稿已保存（第 4 版）")).to_be_visible()

    Evaluation.objects.filter(pk=evaluation.pk).update(version=9)  # someone else saved meanwhile
    page.get_by_label("年度资金总额 年初预算数").fill("100")
    expect(status).to_contain_text("未自动保存：保存失败：您打开此页后，该自评表已被他人修改并保存")
    assert Evaluation.objects.get(pk=evaluation.pk).version == 9


@pytest.mark.django_db
def test_autosave_is_for_the_units_staff_only(client):
    evaluation = factory.make_evaluation()
    client.force_login(factory.make_staff("other", unit=factory.make_unit("别的单位")))
    data = factory.entry_form_data(factory.clean_figures(), evaluation.version)
    assert client.post(reverse("evaluation_autosave", args=[evaluation.pk]), data).status_code == 404
    assert Evaluation.objects.get(pk=evaluation.pk).version == evaluation.version
