from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "绩效自评"

    def ready(self):
        from evaluations.setup import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
