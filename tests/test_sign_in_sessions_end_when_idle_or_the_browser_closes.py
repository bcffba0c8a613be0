"""A session ends after 30 idle minutes (each request starts the 30 minutes again) and when the browser
closes (the cookie has no expiry of its own); scripts cannot read it."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    factory.make_staff()
    response = client.post("/accounts/login/", {"username": "staff", "password": factory.PASSWORD})
    assert response.status_code == 302
    return client, response


def session_row(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_the_session_cookie_dies_with_the_browser_and_scripts_cannot_read_it(signed_in):
    _, response = signed_in
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"


def test_each_request_moves_the_end_30_minutes_ahead(signed_in):
    client, _ = signed_in
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/my/").status_code == 200
    remaining = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_after_30_idle_minutes_the_next_request_goes_to_sign_in(signed_in):
    client, _ = signed_in
    assert client.get("/my/").status_code == 200
    row = session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=row.expire_date - timedelta(minutes=30))
    response = client.get("/my/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_idle_limit_is_a_setting(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
