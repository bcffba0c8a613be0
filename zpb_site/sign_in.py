"""Sign-in and password forms and the 400 page: what a careless or hostile request gets told, in Chinese."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import (
    RequestDataTooBig, SuspiciousMultipartForm, TooManyFieldsSent, TooManyFilesSent, ValidationError,
)
from django.shortcuts import render


class SignInForm(AuthenticationForm):
    """Django's sign-in form, but a user name longer than any account's is a failed sign-in: it never
    reaches authentication (axes would record it in a 255-character column, a 500 on PostgreSQL)."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})
        return username


class NotTheCurrentPasswordValidator:
    """A new password must differ from the one it replaces."""

    def validate(self, password, user=None):
        if user is not None and user.pk is not None and user.has_usable_password() and user.check_password(password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")

    def get_help_text(self):
        return "新密码不能与当前密码相同。"


# What went wrong, for the requests Django refuses before any view sees them.
BAD_REQUEST_REASONS = [
    (TooManyFilesSent, "一次上传的文件太多。请分批上传，每次不超过规定的文件数。"),
    (TooManyFieldsSent, "提交的内容项太多（例如指标行数远超上限）。请减少行数后重新提交。"),
    (RequestDataTooBig, "提交的内容太大。请减少内容或分批提交。"),
    (SuspiciousMultipartForm, "上传的数据不完整或格式不正确。请重新选择文件上传。"),
]


def bad_request(request, exception=None):
    reason = next((text for kind, text in BAD_REQUEST_REASONS if isinstance(exception, kind)), "")
    return render(request, "400.html", {"reason": reason}, status=400)
