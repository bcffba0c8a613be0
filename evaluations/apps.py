from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "绩效自评"

    def ready(self):
        from evaluations import kept_pages
        from evaluations import tallies  # noqa: F401 -- its receivers keep the tallies in step with the forms

        # After every migrate, once all apps' tables exist: each one gets its page-change trigger.
        post_migrate.connect(kept_pages.reinstall_after_migrate, sender=self, dispatch_uid="zpb_page_change_triggers")
        from django.core.validators import ProhibitNullCharactersValidator

        # Django's Chinese for this message ("不允许是用空字符串") is a mistranslation: say what is wrong.
        ProhibitNullCharactersValidator.message = "不能含有空字符（\\x00，常见于从其他程序复制的文字），请删除后再提交。"
        # django-axes names its admin section "Axes", a column "Status" and each attempt "Attempted Access: …"
        # without translation (its other strings: locale/); the admin speaks Chinese only.
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt

        apps.get_app_config("axes").verbose_name = "登录安全"
        AccessAttemptAdmin.status.short_description = "状态"
        AccessAttempt.__str__ = lambda attempt: f"登录尝试：{attempt.attempt_time}"
