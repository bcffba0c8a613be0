from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "绩效目标"

    def ready(self):
        from evaluations import form_checks
        from targets.checks import TargetChecks

        form_checks.register(TargetChecks())
