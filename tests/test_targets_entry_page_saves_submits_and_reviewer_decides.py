"""The 绩效目标申报表 page: staff save and submit in the browser's form, mistakes come back in Chinese and nothing is
saved; the department's reviewer approves or returns from the same page; the approved table is read-only."""

import pytest
from django.urls import reverse

from targets.models import TargetEvent, TargetIndicator, TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db
Status = TargetTable.Status


def page_data(table, rows, action="save", goal="提升服务能力。", budget="120.00"):
    data = {"version": table.version, "action": action, "goal": goal, "budget": budget, "budget_current_year": budget,
            "budget_other": "0.00", "indicators-TOTAL_FORMS": len(rows) + 1, "indicators-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        for name, value in zip(("level1", "level2", "name", "target", "weight"), row):
            data[f"indicators-{index}-{name}"] = value
    return data  # the last row is left blank, as the page's spare rows are


ROWS = [("产出指标", "数量指标", "举办培训", "≥4(场)", "50"), ("效益指标", "社会效益指标", "服务覆盖面", "≥90(%)", "30"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90(%)", "10")]


@pytest.fixture
def staff():
    return factory.make_staff()


def test_staff_start_fill_and_submit_a_table(client, staff):
    client.force_login(staff)
    response = client.post(reverse("new_target_table"), {"new_project_name": "科普活动", "year": 2024})
    table = TargetTable.objects.get()
    assert response.url == reverse("target_table", args=[table.pk])
    page = client.get(response.url).content.decode()
    assert "项目支出绩效目标申报表" in page and "年度总体目标" in page and "（2024年度）" in page
    client.post(response.url, page_data(table, ROWS))
    table.refresh_from_db()
    assert table.version == 2 and str(table.budget) == "120.00" and table.goal == "提升服务能力。"
    assert list(table.indicators.values_list("name", "target")) == [(r[2], r[3]) for r in ROWS]
    client.post(response.url, page_data(table, ROWS, action="submit"))
    assert TargetTable.objects.get().status == Status.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "<textarea" not in page and "≥" in page and "度量单位" in page


def test_mistakes_are_told_in_chinese_and_nothing_is_saved(client, staff):
    table = make_table()
    client.force_login(staff)
    rows = [("产出指标", "社会效益指标", "举办培训", "≥4(场)", "abc"), ("效益指标", "社会效益指标", "", "≥90(%)", "30")]
    response = client.post(reverse("target_table", args=[table.pk]), page_data(table, rows, budget="-1"))
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("二级指标“社会效益指标”不属于产出指标", "分值请填写数字", "请填写三级指标", "年度资金总额不能为负数"):
        assert message in page
    assert TargetTable.objects.get().version == table.version and TargetIndicator.objects.count() == 3


def test_an_uneven_budget_is_refused(client, staff):
    table = make_table()
    client.force_login(staff)
    data = {**page_data(table, ROWS), "budget_current_year": "100.00", "budget_other": "10.00"}
    assert "之和应等于年度资金总额" in client.post(reverse("target_table", args=[table.pk]), data).content.decode()


def test_a_stale_page_is_refused(client, staff):
    table = make_table()
    client.force_login(staff)
    data = page_data(table, ROWS)
    data["version"] = table.version - 1
    response = client.post(reverse("target_table", args=[table.pk]), data)
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()


def test_the_reviewer_returns_then_approves_and_the_table_locks(client, staff):
    table = make_table(status=Status.SUBMITTED)
    reviewer = factory.make_reviewer()
    client.force_login(reviewer)
    page = client.get(reverse("target_table", args=[table.pk])).content.decode()
    assert "批准" in page and "退回修改" in page
    client.post(reverse("target_return", args=[table.pk]), {"version": table.version, "comment": ""})
    assert TargetTable.objects.get().status == Status.SUBMITTED
    client.post(reverse("target_return", args=[table.pk]), {"version": table.version, "comment": "目标偏低"})
    assert TargetTable.objects.get().status == Status.RETURNED

    client.force_login(staff)
    table.refresh_from_db()
    assert "审核人退回：目标偏低" in client.get(reverse("target_table", args=[table.pk])).content.decode()
    client.post(reverse("target_table", args=[table.pk]), page_data(table, ROWS, action="submit"))
    table.refresh_from_db()
    client.force_login(reviewer)
    client.post(reverse("target_approve", args=[table.pk]), {"version": table.version - 1})
    assert TargetTable.objects.get().status == Status.SUBMITTED  # a stale page
    client.post(reverse("target_approve", args=[table.pk]), {"version": table.version})
    assert TargetTable.objects.get().status == Status.APPROVED
    assert list(TargetEvent.objects.values_list("action", flat=True)) == [
        "create", "save", "submit", "return", "save", "submit", "approve"]

    client.force_login(staff)
    before = TargetTable.objects.get().version
    response = client.post(reverse("target_table", args=[table.pk]), page_data(TargetTable.objects.get(), ROWS[:1]))
    assert response.status_code == 409 and "不能再修改" in response.content.decode()
    assert TargetTable.objects.get().version == before and TargetIndicator.objects.count() == 3


def test_the_list_puts_what_waits_for_the_reviewer_first(client):
    make_table(project=factory.make_project("甲项目"))
    make_table(project=factory.make_project("乙项目"), status=Status.SUBMITTED)
    client.force_login(factory.make_reviewer())
    page = client.get(reverse("target_tables")).content.decode()
    assert page.index("乙项目") < page.index("甲项目")


def test_the_list_costs_a_fixed_number_of_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("target_tables")).status_code == 200
        return len(captured)

    make_table(project=factory.make_project("项目1"))
    client.force_login(factory.make_reviewer())
    queries()  # the first request after signing in also refreshes the session
    few = queries()
    for n in range(2, 8):
        make_table(project=factory.make_project(f"项目{n}", factory.make_unit(f"单位{n}")), year=2020 + n)
    assert queries() == few
