"""In Chromium: the Chinese lockout page after five wrong passwords, and the password change a user with an
expired password is sent to before anything else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Profile
from tests import factory
from tests.conftest import sign_in

NEW_PASSWORD = "Zpb-new-2026!"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_five_wrong_passwords_show_the_lockout_page(page, screenshot):
    factory.make_staff()
    for _ in range(4):
        sign_in(page, "staff", "Wrong-password-1")
        page.get_by_role("alert").filter(has_text="用户名或密码不正确").wait_for()
    sign_in(page, "staff", "Wrong-password-1")
    page.get_by_role("heading", name="账号已暂时锁定").wait_for()
    page.goto("/accounts/login/")
    sign_in(page, "staff", factory.PASSWORD)
    assert page.get_by_role("alert").inner_text().startswith("密码连续输错 5 次，该账号已被锁定 30 分钟")
    screenshot("sign-in-locked-out")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_expired_password_is_changed_before_anything_else(page, screenshot, settings):
    settings.ZPB_PASSWORD_MAX_AGE_DAYS = 90
    staff = factory.make_staff()
    Profile.objects.filter(user=staff).update(password_changed_at=timezone.now() - timedelta(days=120))
    sign_in(page, "staff", factory.PASSWORD)
    page.get_by_role("heading", name="修改密码").wait_for()
    assert "您的密码已超过 90 天未修改" in page.locator(".messages").inner_text()
    page.get_by_label("旧密码").fill(factory.PASSWORD)
    page.get_by_label("新密码", exact=True).fill("short")
    page.get_by_label("新密码确认").fill("short")
    page.get_by_role("button", name="修改密码").click()
    page.locator(".errorlist").first.wait_for()
    screenshot("sign-in-password-change")
    page.get_by_label("旧密码").fill(factory.PASSWORD)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("新密码确认").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    page.get_by_role("heading", name="密码已修改").wait_for()
    page.get_by_role("link", name="返回首页").click()
    page.get_by_role("heading", name="上海科学技术交流中心 · 绩效自评表").wait_for()
