"""Password rules of 等保三级: length 8, three of four character classes, not common, not like the user name."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation


def problems(password, user=None):
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("password", ["Zpb-demo-2026", "Qingpu77", "tianma1!", "HUANGPU9!", "Xu!hui-lu"])
def test_three_classes_and_eight_characters_pass(password):
    assert problems(password) == []


@pytest.mark.parametrize("password, message", [
    ("abcdefgh1", "至少 3 类"),
    ("ABCDEFGHIJ", "至少 3 类"),
    ("Ab1!", "至少"),
    ("Password1", "常见"),
])
def test_weak_passwords_are_refused_in_chinese(password, message):
    assert any(message in text for text in problems(password)), problems(password)


def test_a_password_like_the_user_name_is_refused():
    user = User(username="zhangwei2026", first_name="伟", last_name="张")
    assert problems("Zhangwei2026!", user)


@override_settings(ZPB_PASSWORD_MIN_CLASSES=4)
def test_the_number_of_classes_is_a_setting():
    assert any("至少 4 类" in text for text in problems("Abcdefg12"))
    assert problems("Abcdef1!") == []


def test_every_password_message_is_chinese():
    for password in ("Ab1!", "password", "12345678", "abcdefgh"):
        for text in problems(password, User(username="abcdefgh")):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
