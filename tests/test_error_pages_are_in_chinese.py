"""With DEBUG off, a missing page, a forbidden page, a bad request and a server error answer with the
project's Chinese pages."""

import pytest
from django.test import Client

from evaluations.views import common
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_mode(settings):
    settings.DEBUG = False


def page(response):
    return response.content.decode()


def test_a_missing_page_says_so_in_chinese(client):
    client.force_login(factory.make_staff())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在（404）" in page(response) and "不在您的查看范围内" in page(response)


def test_another_units_evaluation_gets_the_same_page(client):
    evaluation = factory.make_evaluation()
    client.force_login(factory.make_staff("other", unit=factory.make_unit("上海市科学技术情报研究所")))
    response = client.get(f"/evaluations/{evaluation.pk}/")
    assert response.status_code == 404 and "页面不存在（404）" in page(response)
    assert evaluation.project.name not in page(response)


def test_a_forbidden_page_says_why_in_chinese(client, settings):
    settings.ROOT_URLCONF = "tests.erroring_urls"  # the site itself answers 404 outside a role; Django may still 403
    client.force_login(factory.make_auditor())
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "无权访问（403）" in page(response) and "您没有执行此操作的权限。" in page(response)


def test_a_request_for_an_unknown_host_is_a_chinese_bad_request(client):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400 and "请求无效（400）" in page(response)


def test_a_server_error_renders_the_500_page(monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(common, "can_review", broken)
    client = Client(raise_request_exception=False)
    client.force_login(factory.make_staff())
    response = client.get("/")
    assert response.status_code == 500
    assert "系统错误（500）" in page(response) and "boom" not in page(response)
    assert "Traceback" not in page(response)
