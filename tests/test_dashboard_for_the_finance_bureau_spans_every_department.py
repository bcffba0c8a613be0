"""The finance bureau's dashboard: what has reached it from every department, its rates per department;
the reviewer's dashboard stays one department, per unit."""

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import roles
from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status
DEPARTMENTS = ["上海市科学技术委员会", "上海市教育委员会", "上海市卫生健康委员会"]


def make_year(per_department=1):
    """In each department: two units, each with `per_department` approved, one accepted and one submitted form."""
    for department_name in DEPARTMENTS:
        department = factory.make_department(department_name)
        for unit_name in ("信息中心", "服务中心"):
            unit = factory.make_unit(f"{department_name[3:7]}{unit_name}", department)
            for n in range(per_department):
                factory.make_evaluation(factory.make_project(f"已通过{n}", unit), status=Status.APPROVED)
            factory.make_evaluation(factory.make_project("已接收", unit), status=Status.ACCEPTED)
            factory.make_evaluation(factory.make_project("已提交", unit), status=Status.SUBMITTED)
        factory.make_evaluation(factory.make_project("上年度", unit), year=2022, status=Status.APPROVED)


def figures(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.context["figures"]


def test_the_finance_bureau_counts_every_departments_approved_and_accepted_forms(client):
    make_year()
    client.force_login(factory.make_user("finance", roles.FINANCE))
    counted = figures(client, year=2023)
    assert counted.count == 3 * 2 * 2  # what the departments have approved or it has accepted; no submitted form
    assert dict(counted.by_status) == {"草稿": 0, "已提交": 0, "已退回": 0, "已通过": 6, "财政局已接收": 6}
    assert [(row.unit, row.evaluations) for row in counted.by_unit] == sorted((name, 4) for name in DEPARTMENTS)
    assert figures(client, year=2022).count == 3


def test_the_finance_bureau_sees_rates_per_department_and_the_reviewer_per_unit(client):
    make_year()
    client.force_login(factory.make_user("finance", roles.FINANCE))
    html = client.get(reverse("dashboard"), {"year": 2023}).content.decode()
    assert "各主管部门预算执行率" in html and "<th>主管部门</th>" in html and "<td>上海市教育委员会</td>" in html
    assert "汇总报告与公开材料" not in html  # the reports are a department's

    client.force_login(factory.make_reviewer(department=factory.make_department(DEPARTMENTS[1])))
    counted = figures(client, year=2023)
    assert counted.count == 6 and dict(counted.by_status)["已提交"] == 2
    assert {row.unit for row in counted.by_unit} == {"教育委员服务中心", "教育委员信息中心"}
    html = client.get(reverse("dashboard"), {"year": 2023}).content.decode()
    assert "各单位预算执行率" in html and "<th>实施单位</th>" in html and "<td>上海市教育委员会</td>" not in html


def test_the_finance_bureaus_excel_lists_departments_under_its_own_title(client):
    make_year()
    client.force_login(factory.make_user("finance", roles.FINANCE))
    response = client.get(reverse("dashboard_export"), {"year": 2023})
    assert response["Content-Disposition"].endswith(quote("各主管部门2023年度绩效自评统计.xlsx"))
    workbook = load_workbook(BytesIO(response.content))
    rows = list(workbook["各主管部门执行率"].iter_rows(values_only=True))
    assert rows[0][0] == "各主管部门 2023年度 绩效自评统计：各主管部门执行率"
    assert rows[1][0] == "主管部门" and sorted(row[0] for row in rows[2:]) == sorted(DEPARTMENTS)


@pytest.mark.parametrize("name", ["dashboard", "dashboard_export"])
def test_anonymous_is_sent_to_sign_in_and_other_roles_get_404(client, name):
    make_year()
    url = reverse(name)
    assert client.get(url).status_code == 302
    unit = factory.make_unit()
    for user in (factory.make_staff(unit=unit), factory.make_auditor(), factory.make_administrator()):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    for user in (factory.make_user("finance", roles.FINANCE), factory.make_reviewer(department=unit.department)):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username


@pytest.mark.parametrize("per_department", [1, 10])
def test_the_finance_dashboard_costs_a_fixed_number_of_queries(client, django_assert_num_queries, per_department):
    make_year(per_department)  # 3 departments × 2 units × (per_department + 1) forms that count: 12 or 66
    client.force_login(factory.make_user("finance", roles.FINANCE))
    client.get(reverse("home"))  # the first request after sign-in also saves the session
    # session, the user with profile; years; one aggregate; flag codes grouped; one grouped rate query; spot-check
    # gaps grouped; the menu's unread notifications (the finance bureau has no department's due date to
    # remind of, nor spot-check draws of its own)
    with django_assert_num_queries(8):
        assert figures(client).count == 3 * 2 * (per_department + 1)
