"""A session ends after 30 idle minutes (a request starts the 30 minutes again, to the minute) and when
the browser closes (the cookie has no expiry of its own); scripts cannot read it."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests import factory
from zpb_site.middleware import SESSION_REFRESH_SECONDS, SESSION_REFRESHED_KEY

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


def last_push_was(client, seconds_ago):
    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time()) - seconds_ago
    session.save()
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=timezone.now() + timedelta(minutes=1))


def test_a_request_a_minute_after_the_last_push_moves_the_end_30_minutes_ahead(signed_in):
    client, _ = signed_in
    last_push_was(client, SESSION_REFRESH_SECONDS)
    assert client.get("/my/").status_code == 200
    remaining = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_requests_within_the_minute_do_not_write_the_session(signed_in):
    client, _ = signed_in
    last_push_was(client, SESSION_REFRESH_SECONDS - 5)
    before = session_row(client).expire_date
    assert client.get("/my/").status_code == 200
    assert session_row(client).expire_date == before


def test_after_30_idle_minutes_the_next_request_goes_to_sign_in(signed_in):
    client, _ = signed_in
    assert client.get("/my/").status_code == 200
    row = session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=row.expire_date - timedelta(minutes=30))
    response = client.get("/my/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_idle_limit_is_a_setting(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
