from django.urls import path

from evaluations.views import audit, common, dashboard, entry, export, printout, review

urlpatterns = [
    path("", common.home, name="home"),
    path("favicon.ico", common.favicon),
    path("evaluations/<int:pk>/", common.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", entry.evaluation_entry, name="evaluation_entry"),
    path("evaluations/<int:pk>/autosave/", entry.evaluation_autosave, name="evaluation_autosave"),
    path("evaluations/new/", entry.new_evaluation, name="new_evaluation"),
    path("my/", entry.staff_home, name="staff_home"),
    path("evaluations/<int:pk>/print/", printout.evaluation_print, name="evaluation_print"),
    path("evaluations/<int:pk>/print.pdf", printout.evaluation_pdf, name="evaluation_pdf"),
    path("evaluations/<int:pk>/export.xlsx", export.export_evaluation, name="evaluation_export"),
    path("evaluations/export.xlsx", export.export_batch, name="evaluations_export"),
    path("review/", review.queue, name="review_queue"),
    path("review/approve/", review.bulk_approve, name="review_bulk_approve"),
    path("review/<int:pk>/", review.review, name="review_evaluation"),
    path("review/<int:pk>/return/", review.act, {"action": "return"}, name="review_return"),
    path("review/<int:pk>/approve/", review.act, {"action": "approve"}, name="review_approve"),
    path("review/<int:pk>/unapprove/", review.act, {"action": "unapprove"}, name="review_unapprove"),
    path("review/<int:pk>/comment/", review.add_comment, name="review_comment"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.dashboard_export, name="dashboard_export"),
    path("audit/", audit.audit_trail, name="audit_trail"),
]
