from django.urls import path, re_path

from complaintdesk.api.errors import not_found
from complaintdesk.api.v1 import actions, calendar, complaints, customers, indicators, language, notifications

app_name = "api-v1"
urlpatterns = [
    path("complaints/", complaints.ComplaintListApi.as_view(), name="complaint-list"),
    path("complaints/receive/", complaints.ComplaintReceiveApi.as_view(), name="complaint-receive"),
    path("complaints/<int:pk>/", complaints.ComplaintDetailApi.as_view(), name="complaint-detail"),
    path("complaints/<int:pk>/timeline/", complaints.ComplaintTimelineApi.as_view(), name="complaint-timeline"),
    path("complaints/<int:pk>/attachments/<int:attachment_pk>/", complaints.AttachmentDownloadApi.as_view(),
         name="complaint-attachment"),
    path("complaints/<int:pk>/messages/", notifications.ComplaintMessagesApi.as_view(), name="complaint-messages"),
    path("complaints/by-number/<str:number>/", complaints.ComplaintByNumberApi.as_view(), name="complaint-by-number"),
    *actions.urlpatterns,
    path("customers/", customers.CustomerLookupApi.as_view(), name="customer-lookup"),
    path("customers/<int:pk>/", customers.CustomerDetailApi.as_view(), name="customer-detail"),
    path("notifications/", notifications.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/read/", notifications.NotificationReadApi.as_view(), name="notification-read"),
    path("calendar/", calendar.CalendarApi.as_view(), name="calendar"),
    path("deadlines/", calendar.DeadlineListApi.as_view(), name="deadlines"),
    path("indicators/", indicators.IndicatorsApi.as_view(), name="indicators"),
    path("language/check/", language.PhraseCheckApi.as_view(), name="phrase-check"),
    path("language/suggest/", language.SuggestApi.as_view(), name="suggest"),
    re_path(r"^.*$", not_found),
]
