from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "绩效自评"

    def ready(self):
        from evaluations.setup import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        # django-axes names its admin section "Axes", a column "Status" and each attempt "Attempted Access: …"
        # without translation (its other strings: locale/); the admin speaks Chinese only.
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt

        apps.get_app_config("axes").verbose_name = "登录安全"
        AccessAttemptAdmin.status.short_description = "状态"
        AccessAttempt.__str__ = lambda attempt: f"登录尝试：{attempt.attempt_time}"
