"""The site's URLs plus a page that fails and one that is forbidden, to see what each leaves behind."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from zpb_site.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("故意出错的页面")


def forbidden(request):
    raise PermissionDenied("您没有执行此操作的权限。")


urlpatterns = [path("fails/", fails), path("forbidden/", forbidden), *site_urlpatterns]
