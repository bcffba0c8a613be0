"""django-import-export in the admin: departments, units and projects in and out, indicators out only.

Imports are one transaction and need the model's add permission; exports need view and keep text
that looks like a formula as inert text, numbers as numbers.
"""

from io import BytesIO

import pytest
import tablib
from django.contrib.auth.models import Permission, User
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from evaluations import roles
from evaluations.models import Department, Project, Unit
from evaluations.resources import IndicatorResource, ProjectResource, UnitResource
from tests import factory

pytestmark = pytest.mark.django_db


def admin_user(*codenames, role=""):
    user = factory.make_user("admin", role, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def exported(client, model, resource, fields):
    data = {"format": "0", "resource": "0", **{f"{resource.__name__.lower()}_{field}": "on" for field in fields}}
    response = client.post(reverse(f"admin:evaluations_{model}_export"), data)
    assert response.status_code == 200, response.content.decode()[:500]
    return load_workbook(BytesIO(response.content)).active


def test_the_administrator_role_may_import_and_export_reference_data(client):
    client.force_login(admin_user(role=roles.ADMINISTRATOR))
    for model in ("department", "unit", "project"):
        assert client.get(reverse(f"admin:evaluations_{model}_import")).status_code == 200
        assert client.get(reverse(f"admin:evaluations_{model}_export")).status_code == 200


def test_without_add_permission_there_is_no_import(client):
    client.force_login(admin_user("view_unit"))
    assert client.get(reverse("admin:evaluations_unit_import")).status_code == 403
    assert client.get(reverse("admin:evaluations_unit_export")).status_code == 200


def test_an_import_with_one_bad_row_writes_nothing():
    factory.make_department()
    rows = tablib.Dataset(["上海市科学技术委员会", "新单位"], ["不存在的部门", "另一个单位"], headers=["主管部门", "实施单位"])
    result = UnitResource().import_data(rows, dry_run=False)
    assert [(number, [str(e.error) for e in errors]) for number, errors in result.row_errors()] == [
        (2, ["没有名为“不存在的部门”的主管部门。"])]
    assert not Unit.objects.exists()


def test_projects_import_into_the_unit_of_the_named_department():
    ours = factory.make_unit("科技服务中心", factory.make_department("上海市科学技术委员会"))
    theirs = factory.make_unit("科技服务中心", factory.make_department("上海市财政局"))
    rows = tablib.Dataset(["上海市财政局", "科技服务中心", "预算评审"], headers=["主管部门", "实施单位", "项目名称"])
    result = ProjectResource().import_data(rows, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Project.objects.get(name="预算评审").unit == theirs != ours
    again = ProjectResource().import_data(rows, dry_run=False)  # the same file twice creates nothing more
    assert Project.objects.count() == 1 and again.totals["skip"] == 1


def test_exported_projects_keep_formula_like_names_as_inert_text(client):
    factory.make_project('=HYPERLINK("http://x","y")')
    factory.make_project("+1+1")
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    sheet = exported(client, "project", ProjectResource, ["department", "unit", "name"])
    assert [cell.value for cell in sheet[1]] == ["主管部门", "实施单位", "项目名称"]
    names = {sheet.cell(row, 3).value: sheet.cell(row, 3) for row in (2, 3)}
    assert set(names) == {'=HYPERLINK("http://x","y")', "+1+1"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names.values())
    assert Department.objects.count() == 1


def test_indicators_export_flat_with_their_evaluation_and_never_import(client):
    factory.make_evaluation()
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    fields = list(IndicatorResource().get_export_order())
    sheet = exported(client, "indicator", IndicatorResource, fields)
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == ["年度", "主管部门", "实施单位", "项目名称", "状态", "序号"]
    first = dict(zip(header, (cell for cell in sheet[2])))
    assert first["年度"].value == 2023 and first["状态"].value == "草稿"
    assert (first["年度指标值"].value, first["年度指标值"].data_type) == ("=2(场)", "s")  # the "=" is kept
    assert (first["分值"].value, first["分值"].data_type, first["分值"].number_format) == (50, "n", "0.00")
    with pytest.raises(NoReverseMatch):
        reverse("admin:evaluations_indicator_import")
    with pytest.raises(NotImplementedError):
        IndicatorResource().import_data(tablib.Dataset(), dry_run=True)
    assert client.get(reverse("admin:evaluations_indicator_add")).status_code == 403
