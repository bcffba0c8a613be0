"""Five wrong passwords lock the account for 30 minutes: even the right password is refused, with a Chinese
page, until the time has passed."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests import factory

pytestmark = pytest.mark.django_db


def sign_in(client, password, username="staff"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def fail_five_times(client, username="staff"):
    for attempt in range(4):
        response = sign_in(client, "Wrong-password-1", username)
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode(), attempt
    assert sign_in(client, "Wrong-password-1", username).status_code == 429  # the fifth failure locks


def is_signed_in(client):
    return "_auth_user_id" in client.session


def age_the_attempts(minutes):
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


@pytest.fixture
def staff():
    return factory.make_staff()


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, staff):
    fail_five_times(client)
    response = sign_in(client, factory.PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已暂时锁定" in page and "密码连续输错 5 次" in page and "30 分钟" in page
    assert not is_signed_in(client)


def test_four_failures_do_not_lock(client, staff):
    for _ in range(4):
        sign_in(client, "Wrong-password-1")
    assert sign_in(client, factory.PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_lock_holds_at_29_minutes_and_is_gone_after_30(client, staff):
    fail_five_times(client)
    age_the_attempts(29)
    assert sign_in(client, factory.PASSWORD).status_code == 429
    # Each attempt while locked counts as a failure: the 30 minutes start again from it.
    age_the_attempts(29)
    assert sign_in(client, factory.PASSWORD).status_code == 429
    age_the_attempts(31)
    response = sign_in(client, factory.PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert is_signed_in(client)


def test_the_account_is_locked_from_every_address(staff):
    fail_five_times(Client(REMOTE_ADDR="10.0.0.1"))
    assert sign_in(Client(REMOTE_ADDR="10.0.0.2"), factory.PASSWORD).status_code == 429


def test_made_up_names_from_one_address_lock_nobody_else_out(client, staff):
    # Behind a reverse proxy or an office's NAT every user shares one address.
    for n in range(12):
        sign_in(client, "Wrong-password-1", username=f"guess{n}")
    assert sign_in(client, factory.PASSWORD).status_code == 302 and is_signed_in(client)


def test_a_targeted_account_locks_though_the_guesses_come_from_many_addresses(staff):
    for n in range(5):
        sign_in(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"), "Wrong-password-1")
    assert sign_in(Client(REMOTE_ADDR="10.0.0.99"), factory.PASSWORD).status_code == 429


def test_the_limits_are_settings(client, staff, settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME) == (5, timedelta(minutes=30))
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, "Wrong-password-1")
    response = sign_in(client, factory.PASSWORD)
    assert response.status_code == 429 and "密码连续输错 3 次" in response.content.decode()
