from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zpb_site.sign_in import SignInForm

admin.site.site_header = admin.site.site_title = "zpb 绩效自评管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("import/", include("importer.urls")),
    path("reports/", include("reports.urls")),
    path("", include("targets.urls")),
    path("", include("evaluations.urls")),
]

handler400 = "zpb_site.sign_in.bad_request"
