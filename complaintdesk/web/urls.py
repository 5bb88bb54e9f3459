from django.urls import path

from complaintdesk.web.views import complaints, customers, intake, nav, notifications, queues, supervisor
from complaintdesk.web.views import improvement as improvement_views

app_name = "web"

urlpatterns = [
    path("", nav.home, name="home"),
    path("nav/", nav.nav_counts, name="nav"),
    path("q/<slug:code>/", queues.queue, name="queue"),
    path("q/<slug:code>/assign/", queues.bulk_assign, name="bulk_assign"),
    path("intake/", intake.intake, name="intake"),
    path("intake/lookup/", intake.lookup, name="lookup"),
    path("intake/assist/", intake.assist, name="assist"),
    path("text/check/", intake.check_text, name="check_text"),
    path("c/<int:pk>/", complaints.detail, name="complaint"),
    path("c/<int:pk>/attachments/<int:attachment_pk>/", complaints.attachment, name="attachment"),
    path("c/<int:pk>/clocks/", complaints.clocks, name="clocks"),
    path("c/<int:pk>/do/<slug:key>/", complaints.act, name="act"),
    path("c/<int:pk>/visit/", complaints.visit_page, name="visit"),
    path("c/<int:pk>/print/ticket/", complaints.print_ticket, name="print_ticket"),
    path("c/<int:pk>/print/receipt/", complaints.print_receipt, name="print_receipt"),
    path("customers/<int:pk>/", customers.detail, name="customer"),
    path("supervisor/", supervisor.board, name="supervisor"),
    path("notifications/", notifications.inbox, name="inbox"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path("notifications/read/", notifications.mark_read, name="mark_read"),
]

urlpatterns += [
    path("improvement/causes/", improvement_views.causes, name="causes"),
    path("improvement/hotspots/", improvement_views.hotspots, name="hotspots"),
    path("improvement/actions/", improvement_views.action_list, name="corrective_actions"),
    path("improvement/actions/new/", improvement_views.action_new, name="corrective_action_new"),
    path("improvement/actions/<int:pk>/", improvement_views.action_detail, name="corrective_action"),
    path("improvement/actions/<int:pk>/do/<slug:verb>/", improvement_views.action_do, name="corrective_action_do"),
]
