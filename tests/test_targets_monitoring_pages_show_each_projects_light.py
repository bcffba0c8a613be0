"""绩效运行监控 pages: staff record spending and each indicator's progress on an approved table; the department's
reviewer sees every project's light on one page; the self-evaluation's review shows the monitoring beside its rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from targets import workflow
from targets.models import MonitoringProgress, MonitoringReport, TargetEvent, TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db
APPROVED = TargetTable.Status.APPROVED


def test_staff_record_a_monitoring_and_see_its_light(client):
    staff = factory.make_staff()
    table = make_table(year=2024, status=APPROVED, budget="100.00")
    first, second, _ = table.indicators.all()
    client.force_login(staff)
    url = reverse("monitoring_entry", args=[table.pk])
    response = client.post(url, {"as_of": "2024-06-30", "spent": "20.00", f"progress_{first.pk}": "已办 1 场"})
    assert response.status_code == 302
    report = MonitoringReport.objects.get()
    assert (report.spent, report.author, report.spending_rate(), report.year_share()) == (
        Decimal("20.00"), staff, Decimal("20.00"), Decimal("49.72"))
    assert list(MonitoringProgress.objects.values_list("indicator__name", "progress")) == [("举办培训", "已办 1 场")]
    assert TargetEvent.objects.filter(action="monitor", actor=staff).count() == 1
    page = client.get(url).content.decode()
    assert "红灯" in page and "已办 1 场" in page  # 20 % spent at 49.72 % of the year: 40 % of pace
    for bad, message in ({"as_of": "2023-06-30", "spent": "1"}, "须在 2024 年内"), ({"as_of": "2024-06-30", "spent": "1"}, "已有监控记录"), \
            ({"as_of": "6月30日", "spent": "-1"}, "监控日期请按"):
        response = client.post(url, bad)
        assert response.status_code == 400 and message in response.content.decode()
    assert MonitoringReport.objects.count() == 1


def test_a_table_not_yet_approved_takes_no_monitoring():
    table = make_table(year=2024)
    with pytest.raises(workflow.TargetError, match="须先经批准"):
        workflow.record_monitoring(table, datetime.date(2024, 6, 30), 10, {}, None)


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("monitoring_overview")).content.decode()
    return page, len(queries)


def test_the_reviewer_sees_red_yellow_and_green_projects_on_one_page(client):
    spent = {"红项目": "20.00", "黄项目": "35.00", "绿项目": "45.00"}  # of 100, at 49.72 % of 2024
    for name, amount in spent.items():
        table = make_table(project=factory.make_project(name), year=2024, status=APPROVED)
        workflow.record_monitoring(table, datetime.date(2024, 6, 30), amount, {}, None)
    make_table(project=factory.make_project("未监控项目"), year=2024, status=APPROVED)
    make_table(project=factory.make_project("别部门项目", factory.make_unit("别单位", factory.make_department("别部门"))),
               year=2024, status=APPROVED)
    client.force_login(factory.make_reviewer())
    page_queries(client)  # the first request after signing in also refreshes the session
    page, count = page_queries(client)
    for year in (2022, 2023):  # more projects, monitored, cost no more queries
        table = make_table(project=factory.make_project(f"{year}项目"), year=year, status=APPROVED)
        workflow.record_monitoring(table, datetime.date(year, 3, 1), 1, {}, None)
    assert page_queries(client)[1] == count
    assert "红灯 1 个 · 黄灯 1 个 · 绿灯 1 个" in page
    order = [page.index(name) for name in ("红项目", "黄项目", "绿项目", "未监控项目")]
    assert order == sorted(order) and "别部门项目" not in page
    assert 'class="light light-red">红灯' in page and 'class="light light-none">未监控' in page


def test_the_self_evaluation_shows_the_monitoring_beside_its_rows(client):
    table = make_table(year=2024, status=APPROVED)
    indicator = table.indicators.first()
    workflow.record_monitoring(table, datetime.date(2024, 6, 30), 50, {indicator.pk: "已办 1 场"}, None)
    evaluation = factory.make_submitted_evaluation(project=table.project, year=2024)
    client.force_login(factory.make_reviewer())
    page = client.get(reverse("review_evaluation", args=[evaluation.pk])).content.decode()
    assert '<span class="beside">监控（06-30）：已办 1 场</span>' in page  # no 2023 form: monitoring only
