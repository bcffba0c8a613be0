"""With DEBUG off, a 500 still leaves its traceback in the log (django.request to stderr) and, when the
deployment names ADMINS, in a mail to them."""

import io
import logging

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.erroring_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_server_error_is_logged_with_its_traceback(failing_site):
    handler = next(h for h in logging.getLogger("django.request").handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = failing_site.get("/fails/")
    finally:
        handler.setStream(previous)
    assert response.status_code == 500 and "服务器" in response.content.decode()
    logged = stream.getvalue()
    assert "Internal Server Error: /fails/" in logged
    assert "Traceback (most recent call last)" in logged and "RuntimeError: 故意出错的页面" in logged


def test_the_administrators_named_by_the_deployment_get_a_mail(failing_site, settings):
    settings.ADMINS = [("运维", "ops@example.gov.cn")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    failing_site.get("/fails/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ops@example.gov.cn"]
    assert "RuntimeError" in mail.outbox[0].body


def test_admins_come_from_the_environment(monkeypatch):
    import importlib

    import zpb_site.settings as site_settings

    monkeypatch.setenv("ZPB_ADMINS", "张三 <zhangsan@example.gov.cn>, lisi@example.gov.cn")
    try:
        reloaded = importlib.reload(site_settings)
        assert reloaded.ADMINS == [("张三", "zhangsan@example.gov.cn"), ("lisi@example.gov.cn", "lisi@example.gov.cn")]
    finally:
        monkeypatch.delenv("ZPB_ADMINS")
        importlib.reload(site_settings)
