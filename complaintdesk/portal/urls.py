from django.urls import path

from complaintdesk.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submitted/<int:complaint_id>/", views.submitted, name="submitted"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("mine/", views.mine, name="mine"),
    path("track/", views.track, name="track"),
    path("c/<int:complaint_id>/", views.case, name="case"),
    path("c/<int:complaint_id>/visit/", views.visit, name="visit"),
    path("l/<str:token>/", views.link, name="link"),
    path("rights/", views.rights, name="rights"),
]
