"""The site's URLs plus one page that fails, to see what a server error leaves behind."""

from django.urls import path

from zpb_site.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("故意出错的页面")


urlpatterns = [path("fails/", fails), *site_urlpatterns]
