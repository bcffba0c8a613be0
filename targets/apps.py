from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "绩效目标"

    def ready(self):
        from evaluations import form_checks
        from evaluations.signals import demo_loaded
        from targets import demo
        from targets.checks import TargetChecks

        form_checks.register(TargetChecks())
        demo_loaded.connect(demo.load, dispatch_uid="targets.demo")
