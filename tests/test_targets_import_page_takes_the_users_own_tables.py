"""The target table import page: staff import their unit's tables and reviewers their department's, through the
import pipeline's preview and confirmation; a table of another unit is refused in Chinese and nothing of it is
written; anonymous users sign in, others get 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import roles
from importer.models import StagedImport
from targets import excel
from targets.models import TargetEvent, TargetTable
from tests import factory
from tests.reader_helpers import MATERIAL
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db
URL = reverse("import_target_tables")


def upload(client, name, data):
    """Upload and follow to the preview (the tests' task backend reads the files at once)."""
    return client.post(URL, {"files": [SimpleUploadedFile(name, data)]}, follow=True)


def exported(table):
    out = io.BytesIO()
    excel.write_table(out, table)
    return out.getvalue()


def test_anonymous_signs_in_and_roles_without_import_get_404(client):
    assert client.get(URL).url.startswith("/accounts/login/")
    for role in (roles.AUDITOR, roles.ADMINISTRATOR, None):
        client.force_login(factory.make_user(f"someone-{role}", role))
        assert client.get(URL).status_code == 404
        assert client.post(URL, {"files": [SimpleUploadedFile("目标.txt", b"x")]}).status_code == 404
    assert not StagedImport.objects.exists()


def test_staff_preview_the_pdf_of_their_units_table_then_confirm_and_it_arrives_submitted(client):
    staff = factory.make_staff(unit=factory.make_unit())
    client.force_login(staff)
    page = client.get(URL)
    assert page.status_code == 200 and "导入绩效目标表" in page.content.decode()
    preview = upload(client, "目标.pdf", (MATERIAL / "target-export.pdf").read_bytes())
    text = preview.content.decode()
    assert "绩效目标表导入预览" in text and "读取 1 份绩效目标表" in text and "确认后将写入 1 份" in text
    assert "火灾报警系统升级改造" in text and "6 项" in text and "新建" in text
    assert not TargetTable.objects.exists()  # the preview writes nothing

    staged = StagedImport.objects.get()
    assert staged.kind == "targets"
    result = client.post(reverse("import_confirm", args=[staged.pk]), follow=True).content.decode()
    table = TargetTable.objects.get()
    assert "绩效目标表导入结果" in result and "新建" in result and reverse("target_table", args=[table.pk]) in result
    assert table.status == TargetTable.Status.SUBMITTED and table.indicators.count() == 6
    assert table.events.get().actor == staff
    assert reverse("import_target_tables") in result  # 继续导入 goes back to the target tables' upload

    again = client.post(reverse("import_confirm", args=[staged.pk]), follow=True).content.decode()
    assert "此次导入已经完成，没有重复导入" in again and TargetTable.objects.count() == 1
    assert table.events.count() == 1
    assert f'href="/import/{staged.pk}/result/"' in client.get(URL).content.decode()  # listed among recent uploads

    client.force_login(factory.make_staff("colleague", unit=staff.profile.unit))
    assert client.get(reverse("import_result", args=[staged.pk])).status_code == 404  # an upload is its uploader's


def test_a_table_of_another_unit_is_refused_and_not_written(client):
    client.force_login(factory.make_staff(unit=factory.make_unit("另一个单位")))
    text = upload(client, "目标.xlsx", (MATERIAL / "target-export.xlsx").read_bytes()).content.decode()
    assert "此表的实施单位“上海科学技术交流中心”不是您所在的单位" in text and "确认后将写入 0 份" in text
    client.post(reverse("import_confirm", args=[StagedImport.objects.get().pk]))
    assert not TargetTable.objects.exists()


def test_the_reviewer_reimports_an_approved_table_and_is_told_it_is_locked(client):
    table = make_table(status=TargetTable.Status.APPROVED)
    data = exported(table)
    table.goal = "库里的目标已改"
    table.save()
    client.force_login(factory.make_reviewer(department=table.project.unit.department))
    text = upload(client, "目标.xlsx", data).content.decode()
    assert "拒绝" in text and "已批准，已锁定，不能用导入修改" in text and "确认后将写入 0 份" in text
    result = client.post(reverse("import_confirm", args=[StagedImport.objects.get().pk]), follow=True).content.decode()
    assert "已批准，已锁定，不能用导入修改" in result
    table.refresh_from_db()
    assert table.goal == "库里的目标已改" and not table.events.filter(action=TargetEvent.Action.IMPORT).exists()


def test_a_draft_reads_as_updated_and_its_own_export_as_unchanged(client):
    table = make_table()
    data = exported(table)
    client.force_login(factory.make_staff("staff2", unit=table.project.unit))
    text = upload(client, "同样.xlsx", data).content.decode()
    assert "未变" in text and "确认后将写入 0 份" in text

    TargetTable.objects.filter(pk=table.pk).update(goal="库里的目标已改")
    text = upload(client, "目标.xlsx", data).content.decode()
    assert "更新" in text and "确认后将写入 1 份" in text
    assert TargetTable.objects.get().goal == "库里的目标已改"  # the preview writes nothing
    client.post(reverse("import_confirm", args=[StagedImport.objects.first().pk]))
    table.refresh_from_db()
    assert table.goal == "完成年度任务。" and table.status == TargetTable.Status.DRAFT


def test_a_file_without_a_target_table_says_so(client):
    client.force_login(factory.make_staff(unit=factory.make_unit()))
    text = upload(client, "样例.txt", "项目名称\t某项目\n".encode()).content.decode()
    assert "未找到绩效目标表" in text and "没有可以导入的绩效目标表" in text
