"""The target table import page: staff import their unit's tables and reviewers their department's; a table of
another unit is refused in Chinese and nothing of it is written; anonymous users sign in, others get 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from targets import excel
from targets.models import TargetTable
from tests import factory
from tests.reader_helpers import MATERIAL
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db
URL = reverse("import_target_tables")


def upload(client, name, data):
    return client.post(URL, {"files": [SimpleUploadedFile(name, data)]})


def test_anonymous_signs_in_and_roles_without_import_get_404(client):
    assert client.get(URL).status_code == 302
    client.force_login(factory.make_auditor())
    assert client.get(URL).status_code == 404


def test_staff_import_the_pdf_of_their_units_table_and_it_arrives_submitted(client):
    staff = factory.make_staff(unit=factory.make_unit())
    client.force_login(staff)
    page = client.get(URL)
    assert page.status_code == 200 and "导入绩效目标表" in page.content.decode()
    response = upload(client, "目标.pdf", (MATERIAL / "target-export.pdf").read_bytes())
    text = response.content.decode()
    table = TargetTable.objects.get()
    assert response.status_code == 200 and "新建" in text and reverse("target_table", args=[table.pk]) in text
    assert table.status == TargetTable.Status.SUBMITTED and table.indicators.count() == 6
    assert table.events.get().actor == staff


def test_a_table_of_another_unit_is_refused_and_not_written(client):
    client.force_login(factory.make_staff(unit=factory.make_unit("另一个单位")))
    text = upload(client, "目标.xlsx", (MATERIAL / "target-export.xlsx").read_bytes()).content.decode()
    assert "拒绝" in text and "此表的实施单位“上海科学技术交流中心”不是您所在的单位" in text
    assert not TargetTable.objects.exists()


def test_the_reviewer_reimports_an_approved_table_and_is_told_it_is_locked(client):
    table = make_table(status=TargetTable.Status.APPROVED)
    out = io.BytesIO()
    excel.write_table(out, table)
    table.goal = "库里的目标已改"
    table.save()
    client.force_login(factory.make_reviewer(department=table.project.unit.department))
    text = upload(client, "目标.xlsx", out.getvalue()).content.decode()
    assert "已批准，已锁定，不能用导入修改" in text


def test_a_file_without_a_target_table_says_so(client):
    client.force_login(factory.make_staff(unit=factory.make_unit()))
    text = upload(client, "样例.txt", "项目名称\t某项目\n".encode()).content.decode()
    assert "未找到绩效目标表" in text and "没有导入任何绩效目标表" in text
