from django.urls import path

from reports import views

urlpatterns = [
    path("", views.department_reports, name="department_reports"),
    path("summary.docx", views.summary_report, name="summary_report"),
    path("packages/", views.request_package, name="request_package"),
    path("packages/<int:pk>/", views.package_status, name="package_status"),
    path("packages/<int:pk>/progress/", views.package_progress, name="package_progress"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
    path("evaluations/<int:pk>/", views.report_texts, name="report_texts"),
    path("evaluations/<int:pk>/report.docx", views.evaluation_report, name="evaluation_report"),
]
