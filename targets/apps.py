from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "绩效目标"

    def ready(self):
        from evaluations import form_checks
        from importer import documents
        from evaluations.signals import demo_loaded
        from targets import demo
        from evaluations.views import audit
        from targets.checks import TargetChecks
        from targets.imports import TARGET_TABLES
        from targets.models import MonitoringReport, TargetChangeReason, TargetEvent, TargetIndicator, TargetTable

        form_checks.register(TargetChecks())
        documents.register(TARGET_TABLES)  # uploads of target tables go through importer's pipeline
        # The auditor's trail lists the target tables' workflow and every saved change of them.
        table = {"label": "绩效目标表", "link": "target_table", "time": "history_date", "user": "history_user"}
        for source in [
            audit.Source("target_event", TargetEvent, "绩效目标表", "created_at", "actor", "table", link="target_table",
                         is_event=True),
            audit.Source("target_table", TargetTable.history.model, parent="", **table),
            audit.Source("target_indicator", TargetIndicator.history.model, parent="table",
                         subject=audit.indicator_subject, **table),
            audit.Source("target_monitoring", MonitoringReport.history.model, parent="table",
                         subject=lambda record: f"运行监控 · {record.as_of}", **table),
            audit.Source("target_reason", TargetChangeReason.history.model, "自评表", "history_date", "history_user",
                         "evaluation", subject=lambda record: "目标调整理由"),
        ]:
            audit.register(source)
        demo_loaded.connect(demo.load, dispatch_uid="targets.demo")
