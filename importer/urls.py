from django.urls import path

from importer import views

urlpatterns = [
    path("", views.upload, name="import_upload"),
    path("<int:pk>/", views.preview, name="import_preview"),
    path("<int:pk>/confirm/", views.confirm, name="import_confirm"),
    path("<int:pk>/result/", views.result, name="import_result"),
]
