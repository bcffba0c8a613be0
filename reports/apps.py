from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "自评报告与公开"

    def ready(self):
        from evaluations.views import audit
        from reports.models import ReportText

        # The auditor's trail lists every saved edit of a form's report texts (问题 and 改进措施).
        audit.register(audit.Source("report_text", ReportText.history.model, "自评表", "history_date", "history_user",
                                    "evaluation", subject=lambda record: "自评报告文字"))
