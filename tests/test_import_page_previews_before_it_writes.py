"""The web import: upload, a preview of every parsed form, confirm, a result page linking to each evaluation."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from evaluations import roles
from evaluations.models import Evaluation, FundingLine, Indicator
from importer.models import StagedFile, StagedImport
from tests import factory

SAMPLE = Path(__file__).resolve().parent.parent / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
pytestmark = pytest.mark.django_db


def sample_upload(name="sstec.txt", data=None):
    return SimpleUploadedFile(name, SAMPLE.read_bytes() if data is None else data, content_type="text/plain")


@pytest.fixture
def staff_client(client):
    client.force_login(factory.make_staff("staff", unit=factory.make_unit()))
    return client


def upload(client, *files):
    return client.post("/import/", {"files": list(files)})


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/import/").url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.ADMINISTRATOR, None])
def test_users_who_may_not_import_get_404(client, role):
    client.force_login(factory.make_user("someone", role))
    assert client.get("/import/").status_code == 404
    assert client.post("/import/", {"files": [sample_upload()]}).status_code == 404


def test_reviewer_and_staff_see_the_upload_page(client, staff_client):
    assert staff_client.get("/import/").status_code == 200
    client.force_login(factory.make_reviewer())
    assert client.get("/import/").status_code == 200


def test_upload_stages_the_content_in_the_database_and_previews_every_form(staff_client):
    response = upload(staff_client, sample_upload())
    staged = StagedImport.objects.get()
    assert response.url == f"/import/{staged.pk}/"
    assert bytes(StagedFile.objects.get().content) == SAMPLE.read_bytes()
    assert Evaluation.objects.count() == 0
    page = staff_client.get(response.url).content.decode()
    for name in ("绿色技术银行综合管理与运行", "火灾报警系统升级改造", "国内外科技合作交流", "加强科技类社会组织党建工作"):
        assert name in page
    assert "99.86" in page and 'data-code="W_OVERACHIEVED"' in page and 'data-code="W_DEDUCTION_UNEXPLAINED"' in page
    assert "超额完成" in page and "扣分未说明" in page  # staff read the flags' titles, not their codes
    assert page.count("新建") == 6
    assert "确认后将写入 6 份" in page


def test_confirm_imports_and_the_result_links_to_each_evaluation(staff_client):
    staged_url = upload(staff_client, sample_upload()).url
    response = staff_client.post(staged_url + "confirm/")
    staged = StagedImport.objects.get()
    assert response.url == f"/import/{staged.pk}/result/"
    assert Evaluation.objects.count() == 6
    assert not StagedFile.objects.exists()
    staff = StagedImport.objects.get().created_by
    created = Indicator.history.filter(history_type="+", history_user=staff)
    assert created.count() == Indicator.objects.count()
    assert created.get(evaluation__project__name="加强科技类社会组织党建工作", position=3).score == Decimal("9.00")
    assert FundingLine.history.filter(history_type="+", history_user=staff).count() == 6 * 4
    page = staff_client.get(response.url).content.decode()
    for evaluation in Evaluation.objects.all():
        assert f'href="/evaluations/{evaluation.pk}/"' in page
    # Back to the preview and 确认导入 again: told the import is done, nothing imported twice.
    assert staff_client.get(staged_url).url == response.url
    again = staff_client.post(staged_url + "confirm/", follow=True)
    assert again.redirect_chain == [(response.url, 302)]
    assert "此次导入已经完成，没有重复导入" in again.content.decode()
    assert Evaluation.objects.count() == 6 and created.count() == Indicator.objects.count()


def test_another_users_staged_import_is_404(client, staff_client):
    staged_url = upload(staff_client, sample_upload()).url
    client.force_login(factory.make_staff("colleague", unit=factory.make_unit()))
    assert client.get(staged_url).status_code == 404
    assert client.post(staged_url + "confirm/").status_code == 404


def test_forms_of_another_unit_are_errors_in_the_preview(client):
    client.force_login(factory.make_staff("other", unit=factory.make_unit("上海市科学技术情报研究所")))
    page = client.get(upload(client, sample_upload()).url).content.decode()
    assert page.count("不是您所在的单位") == 6
    assert "确认后将写入 0 份" in page


def test_an_unreadable_form_is_listed_with_its_lines(staff_client):
    broken = SAMPLE.read_text(encoding="utf-8").replace("总分\t\t\t\t\t100.00\t99.65", "总分\t\t\t\t\t一百\t九十九", 1)
    page = staff_client.get(upload(staff_client, sample_upload(data=broken.encode("gb18030"))).url).content.decode()
    assert "无法读取的表" in page
    assert "技术转移合作" in page
    assert "确认后将写入 5 份" in page


@override_settings(ZPB_UPLOAD_MAX_BYTES=1000)
def test_an_oversized_file_is_refused_in_chinese(staff_client):
    page = upload(staff_client, sample_upload()).content.decode()
    assert "超过上限" in page
    assert not StagedImport.objects.exists()


@override_settings(ZPB_UPLOAD_MAX_FILES=2)
def test_too_many_files_are_refused_in_chinese(staff_client):
    page = upload(staff_client, sample_upload("a.txt"), sample_upload("b.txt"), sample_upload("c.txt")).content.decode()
    assert "一次最多上传 2 个文件" in page


def test_a_binary_file_is_refused_in_chinese(staff_client):
    page = upload(staff_client, sample_upload("photo.txt", bytes(range(256)) * 40)).content.decode()
    assert "不是 PDF、文本文件或 .xlsx 工作簿" in page
    assert not StagedImport.objects.exists()


def test_reimporting_an_approved_form_is_shown_as_refused(staff_client):
    staff_client.post(upload(staff_client, sample_upload()).url + "confirm/")
    Evaluation.objects.filter(project__name="火灾报警系统升级改造").update(status=Evaluation.Status.APPROVED)
    changed = SAMPLE.read_text(encoding="utf-8").replace("56.00\t56.00\t55.26", "56.00\t56.00\t55.00", 1)
    page = staff_client.get(upload(staff_client, sample_upload(data=changed.encode())).url).content.decode()
    assert "已审核通过，不能用导入覆盖" in page
    assert page.count("未变") == 5
