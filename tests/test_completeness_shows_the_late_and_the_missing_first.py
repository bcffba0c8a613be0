"""The completeness page, per level: expected / submitted / approved / accepted per unit (for a department's
reviewer) or per department (for the finance bureau), on time or late against the due date, with the late and
the missing on top; the same table downloads as Excel."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import completeness
from evaluations.models import DepartmentYear, Evaluation
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def year():
    """Department 科委: unit 甲 on time and approved, unit 乙 late and missing a continuing project.
    Department 教委: one draft, overdue."""
    science = factory.make_department("科委")
    early, late = factory.make_unit("甲", science), factory.make_unit("乙", science)
    factory.make_evaluation(factory.make_project("按时", early), status=Status.APPROVED,
                            submitted_at=datetime(2024, 3, 1, tzinfo=SHANGHAI))
    factory.make_evaluation(factory.make_project("迟交", late), status=Status.SUBMITTED,
                            submitted_at=datetime(2024, 4, 2, tzinfo=SHANGHAI))
    factory.make_evaluation(factory.make_project("持续", late), year=2022, status=Status.APPROVED)
    education = factory.make_department("教委")
    factory.make_evaluation(factory.make_project("草稿", factory.make_unit("丙", education)))
    for department in (science, education):
        DepartmentYear.objects.create(department=department, year=2023, due_date=date(2024, 3, 31))
    return science, education


def counts(row):
    return (row.expected, row.missing, row.submitted, row.approved, row.accepted, row.late, row.overdue)


def test_a_departments_units_with_the_late_and_missing_first(year):
    science, _ = year
    rows = completeness.rows(2023, science)
    assert [row.name for row in rows] == ["乙", "甲"]
    assert counts(rows[0]) == (2, 1, 1, 0, 0, 1, 0)
    assert counts(rows[1]) == (1, 0, 1, 1, 0, 0, 0)
    assert [p.name for p in completeness.missing_projects(science, 2023)] == ["持续"]


def test_the_finance_bureau_sees_every_department(year):
    rows = {row.name: counts(row) for row in completeness.rows(2023)}
    assert rows == {"科委": (3, 1, 2, 1, 0, 1, 0), "教委": (1, 0, 0, 0, 0, 0, 1)}


def test_each_level_gets_its_own_page_and_excel(client, year):
    science, _ = year
    client.force_login(factory.make_reviewer(department=science))
    page = client.get(reverse("completeness"), {"year": 2023}).content.decode()
    assert page.index('data-name="乙"') < page.index('data-name="甲"') and "教委" not in page and "持续" in page
    sheet = load_workbook(BytesIO(client.get(reverse("completeness_export"), {"year": 2023}).content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["实施单位", "截止日期", "应报"]
    assert [cell.value for cell in sheet[2]][:4] == ["乙", "2024-03-31", 2, 1]

    client.force_login(factory.make_user("finance", "finance"))
    page = client.get(reverse("completeness"), {"year": 2023}).content.decode()
    assert 'data-name="科委"' in page and 'data-name="教委"' in page


def test_the_finance_bureau_sets_a_due_date_and_staff_see_no_such_page(client, year):
    science, _ = year
    client.force_login(factory.make_user("finance", "finance"))
    client.post(reverse("set_due_date", args=[science.pk, 2023]), {"due_date": "2024-04-30"})
    assert DepartmentYear.objects.get(department=science).due_date == date(2024, 4, 30)
    assert completeness.rows(2023, science)[0].late == 0  # 4-02 is on time now
    client.post(reverse("set_due_date", args=[science.pk, 2023]), {"due_date": "三月底"})
    assert DepartmentYear.objects.get(department=science).due_date == date(2024, 4, 30)
    client.force_login(factory.make_staff(unit=science.units.first()))
    assert client.get(reverse("completeness")).status_code == 404
    assert client.post(reverse("set_due_date", args=[science.pk, 2023]), {"due_date": "2030-01-01"}).status_code == 404


def test_every_missing_project_counts_at_both_levels(year):
    science, _ = year
    for name in ("持续二", "持续三"):
        factory.make_evaluation(factory.make_project(name, factory.make_unit("甲", science)), year=2022)
    assert {row.name: row.missing for row in completeness.rows(2023, science)} == {"甲": 2, "乙": 1}
    assert {row.name: row.missing for row in completeness.rows(2023)} == {"科委": 3, "教委": 0}
