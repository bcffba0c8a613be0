from django.urls import path

from evaluations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
]
