"""Input that Django or a form refuses gets a specific Chinese message, never a 500 nor a generic page: an
overlong user name at sign-in, too many files or form fields, a forged row count, a NUL character, and a
new password equal to the current one."""

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factory

pytestmark = pytest.mark.django_db


def test_an_overlong_user_name_is_a_failed_sign_in(client):
    factory.make_staff()
    response = client.post(reverse("login"), {"username": "a" * 300, "password": "Wrong-password-1"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode() or "请输入一个正确的" in response.content.decode()
    assert not AccessAttempt.objects.filter(username__startswith="aaaa").exists()


def test_too_many_files_say_so(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(factory.make_staff())
    files = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(reverse("import_upload"), {"files": files})
    assert response.status_code == 400 and "一次上传的文件太多" in response.content.decode()


def test_too_many_fields_say_so(settings):
    client = Client(raise_request_exception=False)
    client.force_login(factory.make_staff())
    evaluation = factory.make_evaluation()
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("evaluation_entry", args=[evaluation.pk]), fields)
    assert response.status_code == 400 and "提交的内容项太多" in response.content.decode()


def test_a_forged_row_count_is_refused_with_the_limit_and_a_small_page(client):
    staff = factory.make_staff()
    evaluation = factory.make_evaluation()
    client.force_login(staff)
    data = factory.entry_form_data(evaluation.figures(), evaluation.version)
    data["indicators-TOTAL_FORMS"] = 10_000_000
    response = client.post(reverse("evaluation_entry", args=[evaluation.pk]), data)
    page = response.content.decode()
    assert response.status_code in (200, 400) and "绩效指标最多 100 行" in page
    assert len(response.content) < 1_000_000


def test_a_nul_character_is_named(client):
    staff = factory.make_staff()
    evaluation = factory.make_evaluation()
    client.force_login(staff)
    data = factory.entry_form_data(evaluation.figures(), evaluation.version, goal_actual="完成\x00情况")
    response = client.post(reverse("evaluation_entry", args=[evaluation.pk]), data)
    page = response.content.decode()
    assert "不能含有空字符" in page and "不允许是用空字符串" not in page


def test_a_new_password_equal_to_the_current_one_is_refused(client):
    client.force_login(factory.make_staff())
    response = client.post(reverse("password_change"), {
        "old_password": factory.PASSWORD, "new_password1": factory.PASSWORD, "new_password2": factory.PASSWORD})
    assert response.status_code == 200 and "新密码不能与当前密码相同" in response.content.decode()
