from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = "投诉工单台 管理后台"
admin.site.site_title = "投诉工单台"
admin.site.index_title = "系统配置"

urlpatterns = [
    path("", include("complaintdesk.ops.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("complaintdesk.api.v1.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("portal/", include("complaintdesk.portal.urls")),
    path("", include("django.contrib.auth.urls")),
    path("", include("complaintdesk.web.urls")),
]
# No public media route: attachments are served only by web:attachment (and the API) after the
# reader's permission on the complaint is checked.
