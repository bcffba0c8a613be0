"""The administrator finds the admin site in the menu and starts there (not at an empty list of forms),
the admin index shows no English (django-axes' sections included), and every page has a favicon."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.staticfiles import finders
from django.urls import reverse
from playwright.sync_api import expect

from tests import factory
from tests.conftest import sign_in


def visible_text(html):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_the_administrator_lands_on_the_admin_index(client):
    client.force_login(factory.make_administrator())
    assert client.get(reverse("home")).url == reverse("admin:index")


@pytest.mark.django_db
def test_the_admin_index_speaks_chinese(client):
    client.force_login(factory.make_administrator())
    text = visible_text(client.get(reverse("admin:index")).content.decode())
    assert "登录尝试" in text and "登录安全" in text
    assert re.findall(r"[A-Za-z]{3,}", text.replace("zpb", "").replace("admin", "")) == []  # but the username


@pytest.mark.django_db
def test_the_login_attempts_pages_speak_chinese(client):
    attempt = AccessAttempt.objects.create(username="someone", ip_address="10.0.0.1", user_agent="", http_accept="",
                                           path_info="/", failures_since_start=2, get_data="", post_data="")
    client.force_login(factory.make_administrator())
    for url in (reverse("admin:axes_accessattempt_changelist"), reverse("admin:axes_accessattempt_change", args=[attempt.pk])):
        text = visible_text(client.get(url).content.decode())
        for known in ("zpb", "admin", "someone", "IP", "GET", "POST", "HTTP Accept", "lsaquo", "rsaquo"):
            text = text.replace(known, "")
        assert re.findall(r"[A-Za-z]{3,}", text) == [], url


@pytest.mark.django_db
def test_the_menu_links_the_admin_for_administrators_only(client):
    client.force_login(factory.make_administrator())
    assert 'href="/admin/">系统管理</a>' in client.get(reverse("password_change")).content.decode()
    client.force_login(factory.make_reviewer())
    assert "系统管理</a>" not in client.get(reverse("review_queue")).content.decode()


@pytest.mark.django_db
def test_favicon_is_named_by_every_page_and_served_at_the_address_browsers_ask(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.svg")
    assert "<svg" in open(finders.find("favicon.svg"), encoding="utf-8").read()
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_administrator_signs_in_to_the_admin(page, screenshot):
    factory.make_administrator()
    sign_in(page, "admin", factory.PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="登录尝试")).to_be_visible()
    assert re.findall(r"[A-Za-z]{3,}", page.inner_text("body").replace("zpb", "").replace("ADMIN", "")) == []
    screenshot("admin-landing")
