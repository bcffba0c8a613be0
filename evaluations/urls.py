from django.urls import path

from evaluations.views import audit, common, dashboard, entry, evidence, export, review, spot_check

urlpatterns = [
    path("", common.home, name="home"),
    path("evaluations/<int:pk>/", common.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", entry.evaluation_entry, name="evaluation_entry"),
    path("evaluations/new/", entry.new_evaluation, name="new_evaluation"),
    path("my/", entry.staff_home, name="staff_home"),
    path("evaluations/<int:pk>/evidence/", evidence.add_evidence, name="evidence_add"),
    path("evidence/<int:pk>/", evidence.download_evidence, name="evidence_download"),
    path("evidence/<int:pk>/remove/", evidence.remove_evidence, name="evidence_remove"),
    path("evaluations/<int:pk>/export.xlsx", export.export_evaluation, name="evaluation_export"),
    path("evaluations/export.xlsx", export.export_batch, name="evaluations_export"),
    path("review/", review.queue, name="review_queue"),
    path("review/<int:pk>/", review.review, name="review_evaluation"),
    path("review/<int:pk>/return/", review.act, {"action": "return"}, name="review_return"),
    path("review/<int:pk>/approve/", review.act, {"action": "approve"}, name="review_approve"),
    path("review/<int:pk>/unapprove/", review.act, {"action": "unapprove"}, name="review_unapprove"),
    path("review/<int:pk>/comment/", review.add_comment, name="review_comment"),
    path("review/<int:pk>/spot-check/", spot_check.spot_check, name="spot_check"),
    path("review/spot-checks/draw/", spot_check.draw_sample, name="spot_check_draw"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.dashboard_export, name="dashboard_export"),
    path("audit/", audit.audit_trail, name="audit_trail"),
]
