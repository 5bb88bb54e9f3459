from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView


def hello(request):
    """The ceiling: no database, no session lookup, no template."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("hello/", hello),
    path("admin/", admin.site.urls),
    path("helpdesk/", include("helpdesk.urls", namespace="helpdesk")),
    path("", RedirectView.as_view(url="/helpdesk/", permanent=False)),
]
