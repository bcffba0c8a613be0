from django.urls import path

from targets import views

urlpatterns = [
    path("targets/", views.table_list, name="target_tables"),
    path("targets/new/", views.new_table, name="new_target_table"),
    path("targets/import/", views.import_tables, name="import_target_tables"),
    path("targets/<int:pk>/", views.table_page, name="target_table"),
    path("targets/<int:pk>/approve/", views.act, {"action": "approve"}, name="target_approve"),
    path("targets/<int:pk>/return/", views.act, {"action": "return"}, name="target_return"),
    path("targets/<int:pk>/start-evaluation/", views.start_evaluation, name="target_start_evaluation"),
    path("targets/<int:pk>/export.xlsx", views.export, name="target_export"),
    path("targets/<int:pk>/monitoring/", views.monitoring_entry, name="monitoring_entry"),
    path("monitoring/", views.monitoring_overview, name="monitoring_overview"),
    path("evaluations/<int:pk>/target-reasons/", views.target_reasons, name="evaluation_target_reasons"),
    path("evaluations/<int:pk>/target-check/", views.target_check, name="evaluation_target_check"),
    path("projects/<int:pk>/", views.project_years, name="project_years"),
]
