from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "绩效自评"

    def ready(self):
        from evaluations.setup import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        # django-axes names its admin section "Axes"; the admin speaks Chinese only.
        apps.get_app_config("axes").verbose_name = "登录安全"
