"""The reviewer's dashboard: a year of the department counted in SQL, drawn as SVG beside its tables, and as Excel."""

from decimal import ROUND_DOWN, Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Evaluation
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db
Status = Evaluation.Status
D = Decimal


@pytest.fixture
def year_2023():
    """The six sample forms, two of them approved; a 2022 form and another department's form that must not count."""
    for form in SAMPLE_FORMS:
        factory.make_sample_evaluation(form)
    Evaluation.objects.update(status=Status.SUBMITTED)
    Evaluation.objects.filter(project__name__in=["技术转移合作", "信息化建设项目"]).update(status=Status.APPROVED)
    other_unit = factory.make_unit("上海市科学技术情报研究所")
    factory.make_evaluation(factory.make_project("科普讲座", other_unit), year=2022)
    elsewhere = factory.make_unit("财政局直属单位", factory.make_department("上海市财政局"))
    factory.make_evaluation(factory.make_project("别的部门的项目", elsewhere))


@pytest.fixture
def reviewer(client):
    user = factory.make_reviewer()
    client.force_login(user)
    return user


def figures(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.context["figures"]


def test_it_counts_the_year_by_status_grade_and_total(client, year_2023, reviewer):
    counted = figures(client, year=2023)
    assert counted.count == 6
    assert dict(counted.by_status) == {"草稿": 0, "已提交": 4, "已退回": 0, "已通过": 2, "财政局已接收": 0}
    assert dict(counted.by_grade) == {"优": 6, "良": 0, "中": 0, "差": 0}
    totals = [D(form["total"]) for form in SAMPLE_FORMS]  # 99.00 to 99.86
    assert dict(counted.by_total)["95–100"] == sum(total >= 95 for total in totals) == 6


def test_it_defaults_to_the_latest_year_and_keeps_years_apart(client, year_2023, reviewer):
    assert figures(client).year == 2023
    earlier = figures(client, year=2022)
    assert earlier.count == 1 and [row.unit for row in earlier.by_unit] == ["上海市科学技术情报研究所"]


def test_execution_rate_by_unit_is_summed_in_sql(client, year_2023, reviewer):
    (row,) = figures(client, year=2023).by_unit
    budget = sum(D(form["funding"]["total"][1]) for form in SAMPLE_FORMS)
    executed = sum(D(form["funding"]["total"][2]) for form in SAMPLE_FORMS)
    assert (row.unit, row.evaluations, row.budget, row.executed) == ("上海科学技术交流中心", 6, budget, executed)
    assert row.rate == (executed / budget * 100).quantize(D("0.01"), rounding=ROUND_DOWN)


def test_the_most_frequent_flags_come_first(client, year_2023, reviewer):
    top = [(help.code, count) for help, count in figures(client, year=2023).top_flags]
    assert top[0] == ("I_WEIGHT_SPLIT", 6)
    assert dict(top) == {"I_WEIGHT_SPLIT": 6, "W_UNIT_MISSING": 2, "W_OVERACHIEVED": 2, "W_DEDUCTION_UNEXPLAINED": 1,
                         "I_SATISFACTION_UNSUPPORTED": 3, "W_SCORE_AHEAD_OF_SPENDING": 1}  # SCORING.md §6


def test_each_chart_is_server_side_svg_beside_its_table(client, year_2023, reviewer):
    html = client.get(reverse("dashboard"), {"year": 2023}).content.decode()
    assert html.count('<svg class="chart') == 5 and "<script" not in html
    assert html.count('class="chart-with-table"') == 5
    assert '<title>已提交：4</title>' in html  # each bar names its figure
    assert "<td>上海科学技术交流中心</td>" in html and "缺少单位" in html


def test_the_excel_download_carries_the_same_figures_and_a_chinese_filename(client, year_2023, reviewer):
    response = client.get(reverse("dashboard_export"), {"year": 2023})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = "上海市科学技术委员会2023年度绩效自评统计.xlsx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"zpb-dashboard-2023.xlsx\"; filename*=UTF-8''{quote(filename)}")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["按状态", "按等级", "总分分布", "各单位执行率", "常见标记", "抽评差距"]
    status_rows = list(workbook["按状态"].iter_rows(min_row=3, values_only=True))
    assert ("已提交", 4) in status_rows and ("已通过", 2) in status_rows
    (unit_row,) = workbook["各单位执行率"].iter_rows(min_row=3, values_only=True)
    assert unit_row[:2] == ("上海科学技术交流中心", 6)


def test_another_departments_reviewer_sees_none_of_it(client, year_2023):
    client.force_login(factory.make_reviewer("other", department=factory.make_department("上海市财政局")))
    counted = figures(client, year=2023)
    assert counted.count == 1 and [row.unit for row in counted.by_unit] == ["财政局直属单位"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_costs_a_fixed_number_of_queries(client, reviewer, django_assert_num_queries, count):
    unit = factory.make_unit()
    for n in range(count):
        factory.make_evaluation(factory.make_project(f"项目{n:02d}", unit))
    # session, the user with profile and department; the menu's unread notifications and due dates; years; one aggregate;
    # flag codes grouped; one grouped rate query; one grouped spot-check gap query; the year's draws (with their
    # forms, one more, when there are any); on the first request after sign-in, the idle-timeout session save
    # (savepoint, update, release)
    with django_assert_num_queries(13):
        assert figures(client).count == count
    with django_assert_num_queries(7):
        assert client.get(reverse("dashboard_export")).status_code == 200
