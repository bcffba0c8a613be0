from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "绩效自评"

    def ready(self):
        from django.core.validators import ProhibitNullCharactersValidator

        # Django's Chinese for this message ("不允许是用空字符串") is a mistranslation: say what is wrong.
        ProhibitNullCharactersValidator.message = "不能含有空字符（\\x00，常见于从其他程序复制的文字），请删除后再提交。"
