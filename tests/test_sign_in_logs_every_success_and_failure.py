"""Every sign-in, failed or not, leaves a row in axes' logs and a line in the security log (who, from where);
the password tried is never kept."""

import logging
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from tests import factory

pytestmark = pytest.mark.django_db
WRONG = "Wrong-password-1"


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="zpb-test-browser")


@pytest.fixture
def staff():
    return factory.make_staff()


def sign_in(client, password):
    return client.post("/accounts/login/", {"username": "staff", "password": password})


def lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name.startswith("axes")]


def test_a_success_is_logged_with_who_and_where(client, staff, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    assert sign_in(client, factory.PASSWORD).status_code == 302
    log = AccessLog.objects.get()
    assert (log.username, log.ip_address, log.user_agent, log.logout_time) == ("staff", "10.1.2.3", "zpb-test-browser", None)
    assert any("Successful login" in line and 'username: "staff"' in line and "10.1.2.3" in line for line in lines(caplog))

    client.post("/accounts/logout/")
    log.refresh_from_db()
    assert log.logout_time is not None
    assert any("Successful logout" in line for line in lines(caplog))


def test_each_failure_is_logged_and_the_password_is_not(client, staff, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(3):
        sign_in(client, WRONG)
    failures = AccessFailureLog.objects.order_by("pk")
    assert [(f.username, f.ip_address, f.locked_out) for f in failures] == [("staff", "10.1.2.3", False)] * 3
    assert sum("login failure" in line and 'username: "staff"' in line for line in lines(caplog)) == 3
    assert not AccessLog.objects.exists()
    stored = [str(row.__dict__) for model in (AccessAttempt, AccessFailureLog) for row in model.objects.all()]
    assert stored and not any(WRONG in row for row in stored)
    assert not any(WRONG in line for line in lines(caplog))


def test_the_lockout_is_logged_as_such(client, staff, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(5):
        sign_in(client, WRONG)
    assert AccessFailureLog.objects.filter(locked_out=True).count() == 1
    assert any("Locking out" in line and 'username: "staff"' in line for line in lines(caplog))


def test_the_security_loggers_write_to_stderr():
    loggers = ["axes", "zpb.security", "django.security.csrf"]
    script = ("import django, logging; django.setup(); "
              f"[logging.getLogger(name).info('probe of %s', name) for name in {loggers!r}]")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "zpb_site.settings"}
    result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60)
    for name in loggers:
        assert f"INFO {name} probe of {name}" in result.stderr
