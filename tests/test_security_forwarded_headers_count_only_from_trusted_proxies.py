"""X-Forwarded-For names the client only when the request comes through a configured proxy: a client
writing the header itself cannot pin its failures on someone else's address, nor dodge its own lockout."""

import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_one_proxy(settings):
    settings.ZPB_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]


def failed_sign_in_from(remote, forwarded):
    Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).post(
        "/accounts/login/", {"username": "staff", "password": "Wrong-password-1"})
    return AccessAttempt.objects.order_by("-pk").values_list("ip_address", flat=True).first()


def test_the_proxy_tells_the_client_address(behind_one_proxy):
    factory.make_staff()
    assert failed_sign_in_from("10.0.0.1", "203.0.113.5") == "203.0.113.5"


def test_addresses_left_of_the_proxies_could_be_forged_and_do_not_count(behind_one_proxy):
    factory.make_staff()
    assert failed_sign_in_from("10.0.0.2", "192.0.2.66, 203.0.113.5, 10.0.0.1") == "203.0.113.5"


def test_a_garbled_header_names_no_client(behind_one_proxy):
    factory.make_staff()
    assert failed_sign_in_from("10.0.0.1", "<script>") == "10.0.0.1"


def test_anyone_else_writing_the_header_is_known_by_their_own_address(behind_one_proxy):
    factory.make_staff()
    assert failed_sign_in_from("198.51.100.7", "203.0.113.5") == "198.51.100.7"


def test_gunicorn_trusts_forwarded_headers_from_the_same_proxies(monkeypatch):
    config = Path(__file__).resolve().parent.parent / "zpb_site" / "gunicorn.conf.py"
    assert runpy.run_path(str(config))["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("ZPB_TRUSTED_PROXIES", "10.0.0.1")
    assert runpy.run_path(str(config))["forwarded_allow_ips"] == "10.0.0.1"
