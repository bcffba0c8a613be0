"""Password composition of 等保三级: characters from several classes (the count is a setting)."""

import string

from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda c: c.isascii() and c.isupper()),
    ("小写字母", lambda c: c.isascii() and c.islower()),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: c in string.punctuation or not c.isalnum()),
)


class CharacterClassesValidator:
    def __init__(self, min_classes=None):
        self.min_classes = min_classes

    def _required(self):
        return self.min_classes if self.min_classes is not None else settings.ZPB_PASSWORD_MIN_CLASSES

    def validate(self, password, user=None):
        present = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(present) < self._required():
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self._required()} 类，当前只有 {len(present)} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self._required()} 类。"


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    """Django's length rule; its Chinese catalogue lacks the 5.x wording of this message."""

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
