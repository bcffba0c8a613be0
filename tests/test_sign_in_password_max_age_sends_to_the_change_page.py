"""With ZPB_PASSWORD_MAX_AGE_DAYS set, a user whose password is older is sent to /accounts/password/ from every
page until they change it; when a password was set is recorded on the profile whenever Django sets one."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.utils import timezone

from evaluations.models import Profile
from tests import factory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Zpb-new-2026!"


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """A newer hasher than the tests' MD5 one, to make sign-in upgrade a stored hash."""

    iterations = 1000


@pytest.fixture
def staff():
    staff = factory.make_staff()
    # make_user creates the profile after the password: its time is the account's (see zpb_site.middleware).
    staff.date_joined = timezone.now() - timedelta(days=400)
    staff.save()
    return staff


def age_the_password(user, days):
    Profile.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=days))


def changed_at(user):
    return Profile.objects.get(user=user).password_changed_at


def test_without_a_maximum_age_an_old_password_is_fine(client, staff):
    age_the_password(staff, 1000)
    client.force_login(staff)
    assert client.get("/my/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/my/", "/evaluations/new/", "/import/", "/admin/", "/review/"])
def test_an_expired_password_sends_every_page_to_the_change_page(client, staff, settings, path):
    settings.ZPB_PASSWORD_MAX_AGE_DAYS = 90
    age_the_password(staff, 91)
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302 and response.url == "/accounts/password/"
    for method in (client.get, client.post):
        assert method(path).url == "/accounts/password/"


def test_the_change_page_explains_in_chinese_and_changing_the_password_lets_the_user_in(client, staff, settings, caplog):
    settings.ZPB_PASSWORD_MAX_AGE_DAYS = 90
    age_the_password(staff, 91)
    client.force_login(staff)
    page = client.get("/my/", follow=True).content.decode()
    assert "您的密码已超过 90 天未修改，请先修改密码再继续使用。" in page
    assert "<h1>修改密码</h1>" in page and "旧密码" in page and "新密码" in page

    weak = client.post("/accounts/password/", {"old_password": factory.PASSWORD, "new_password1": "abcdefgh",
                                               "new_password2": "abcdefgh"})
    assert weak.status_code == 200 and "密码须包含大写字母、小写字母、数字、符号中的至少 3 类" in weak.content.decode()
    assert client.get("/my/").url == "/accounts/password/"

    caplog.set_level(logging.INFO, logger="zpb.security")
    done = client.post("/accounts/password/", {"old_password": factory.PASSWORD, "new_password1": NEW_PASSWORD,
                                               "new_password2": NEW_PASSWORD}, follow=True)
    assert "密码已修改" in done.content.decode()
    assert timezone.now() - changed_at(staff) < timedelta(minutes=1)
    assert client.get("/my/").status_code == 200  # still signed in, and free to go on
    assert "password changed: staff" in caplog.messages


def test_a_recent_password_is_not_sent_to_change(client, staff, settings):
    settings.ZPB_PASSWORD_MAX_AGE_DAYS = 90
    age_the_password(staff, 89)
    client.force_login(staff)
    assert client.get("/my/").status_code == 200


def test_a_password_never_recorded_counts_from_the_account_creation(client, staff, settings):
    settings.ZPB_PASSWORD_MAX_AGE_DAYS = 90
    assert changed_at(staff) is None
    client.force_login(staff)
    assert client.get("/my/").url == "/accounts/password/"
    staff.date_joined = timezone.now() - timedelta(days=10)
    staff.save()
    assert client.get("/my/").status_code == 200


def test_signing_out_is_allowed_with_an_expired_password(client, staff, settings):
    settings.ZPB_PASSWORD_MAX_AGE_DAYS = 90
    age_the_password(staff, 91)
    client.force_login(staff)
    assert client.post("/accounts/logout/").url == "/accounts/login/"


def test_set_password_records_the_time_and_other_saves_do_not(staff):
    assert changed_at(staff) is None
    staff.first_name = "填报"
    staff.save()
    assert changed_at(staff) is None
    staff.set_password(NEW_PASSWORD)
    staff.save()
    first = changed_at(staff)
    assert first is not None
    staff.last_name = "张"
    staff.save()
    assert changed_at(staff) == first


def test_signing_in_records_nothing_even_when_it_upgrades_the_hash(client, staff, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickPBKDF2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert User.objects.get(pk=staff.pk).password.startswith("md5$")
    assert client.post("/accounts/login/", {"username": "staff", "password": factory.PASSWORD}).status_code == 302
    assert User.objects.get(pk=staff.pk).password.startswith("pbkdf2_sha256$")  # upgraded on sign-in
    assert changed_at(staff) is None


def test_a_password_set_in_the_admin_is_recorded(client, staff):
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    response = client.post(f"/admin/auth/user/{staff.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    assert timezone.now() - changed_at(staff) < timedelta(minutes=1)
