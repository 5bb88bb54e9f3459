from django.urls import path

from complaintdesk.api.v1 import complaints, language

app_name = "api-v1"
urlpatterns = [
    path("complaints/", complaints.ComplaintListApi.as_view(), name="complaint-list"),
    path("complaints/receive/", complaints.ComplaintReceiveApi.as_view(), name="complaint-receive"),
    path("complaints/<int:pk>/", complaints.ComplaintDetailApi.as_view(), name="complaint-detail"),
    path("complaints/<int:pk>/timeline/", complaints.ComplaintTimelineApi.as_view(), name="complaint-timeline"),
    path("complaints/<int:pk>/actions/<slug:action>/", complaints.ComplaintActionApi.as_view(), name="complaint-action"),
    path("complaints/by-number/<str:number>/", complaints.ComplaintByNumberApi.as_view(), name="complaint-by-number"),
    path("language/check/", language.PhraseCheckApi.as_view(), name="phrase-check"),
    path("language/suggest/", language.SuggestApi.as_view(), name="suggest"),
]
