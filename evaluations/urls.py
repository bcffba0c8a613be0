from django.urls import path

from evaluations.views import common

urlpatterns = [
    path("", common.home, name="home"),
    path("evaluations/<int:pk>/", common.evaluation_detail, name="evaluation_detail"),
]
