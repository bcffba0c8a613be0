"""Excel downloads: anonymous → sign-in, another unit's evaluation → 404 or left out, own → the workbook."""

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import roles
from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db

BATCH = reverse("evaluations_export")


@pytest.fixture
def own():
    return factory.make_sample_evaluation(factory.sample_form("技术转移合作"))


@pytest.fixture
def foreign():
    unit = factory.make_unit("上海市科学技术情报研究所", factory.make_department("上海市财政局"))
    return factory.make_evaluation(factory.make_project("情报服务", unit), status=Evaluation.Status.SUBMITTED)


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def sheets(response):
    """汇总 (which must come first) and the set of form sheets."""
    names = workbook(response).sheetnames
    return names[0], set(names[1:])


def test_anonymous_is_sent_to_sign_in(client, own):
    for url in (reverse("evaluation_export", args=[own.pk]), BATCH, f"{BATCH}?ids={own.pk}"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_another_units_evaluation_is_404(client, own, foreign):
    client.force_login(factory.make_staff("staff", unit=own.project.unit))
    assert client.get(reverse("evaluation_export", args=[foreign.pk])).status_code == 404


@pytest.mark.parametrize("make_user", [
    lambda unit: factory.make_staff("staff", unit=unit),
    lambda unit: factory.make_reviewer("reviewer", department=unit.department),
    lambda unit: factory.make_user("auditor", roles.AUDITOR),
])
def test_own_evaluation_downloads_with_its_chinese_file_name(client, own, make_user):
    client.force_login(make_user(own.project.unit))
    response = client.get(reverse("evaluation_export", args=[own.pk]))
    assert workbook(response).sheetnames == ["技术转移合作"]
    name = quote("技术转移合作（2023年度）绩效自评表.xlsx", safe="")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"zpb-evaluation-{own.pk}.xlsx\"; filename*=UTF-8''{name}"
    )


def test_the_detail_page_links_to_the_download(client, own):
    client.force_login(factory.make_staff("staff", unit=own.project.unit))
    page = client.get(own.get_absolute_url()).content.decode()
    assert f'href="{reverse("evaluation_export", args=[own.pk])}"' in page and "导出 Excel" in page


def test_selected_ids_of_another_unit_are_left_out(client, own, foreign):
    client.force_login(factory.make_staff("staff", unit=own.project.unit))
    book = workbook(client.get(BATCH, {"ids": f"{own.pk},{foreign.pk}"}))
    assert book.sheetnames == ["汇总", "技术转移合作"]
    assert "情报服务" not in str([row for row in book["汇总"].iter_rows(values_only=True)])


def test_only_foreign_ids_export_nothing(client, own, foreign):
    client.force_login(factory.make_staff("staff", unit=own.project.unit))
    response = client.get(BATCH, {"ids": str(foreign.pk)}, follow=True)
    assert response.redirect_chain[0][0] == reverse("home")
    assert "没有可导出的自评表" in response.content.decode()


def test_a_filter_exports_what_the_user_may_see_and_nothing_else(client, own, foreign):
    factory.make_evaluation(factory.make_project("旧项目", own.project.unit), year=2022)
    client.force_login(factory.make_user("auditor", roles.AUDITOR))
    response = client.get(BATCH, {"year": "2023", "department": str(foreign.project.unit.department.pk)})
    assert workbook(response).sheetnames == ["汇总", "情报服务"]
    assert "filename*=UTF-8''" + quote("绩效自评表汇总（2023年度-上海市财政局）.xlsx", safe="") in response["Content-Disposition"]

    client.force_login(factory.make_staff("staff", unit=own.project.unit))
    assert sheets(client.get(BATCH, {"year": "2023"})) == ("汇总", {"技术转移合作"})
    assert sheets(client.get(BATCH, {"q": "项目"})) == ("汇总", {"旧项目"})
    assert sheets(client.get(BATCH, {"status": "draft"})) == ("汇总", {"技术转移合作", "旧项目"})


def test_a_reviewer_exports_the_queue_selection_by_post(client, own):
    second = factory.make_evaluation(factory.make_project("第二个项目", own.project.unit))
    client.force_login(factory.make_reviewer("reviewer", department=own.project.unit.department))
    assert sheets(client.post(BATCH, {"evaluation": [own.pk, second.pk]})) == ("汇总", {"技术转移合作", "第二个项目"})
    response = client.post(BATCH, {}, HTTP_REFERER="http://testserver/review/?year=2023")
    assert (response.status_code, response.url) == (302, "http://testserver/review/?year=2023")
