from django.urls import path

from complaintdesk.web.views import (
    complaints,
    customers,
    documents,
    exports,
    imports,
    intake,
    nav,
    notifications,
    queues,
    replies,
    reports,
    supervisor,
    visits,
)
from complaintdesk.web.views import improvement as improvement_views

app_name = "web"

urlpatterns = [
    path("", nav.home, name="home"),
    path("nav/", nav.nav_counts, name="nav"),
    path("q/<slug:code>/", queues.queue, name="queue"),
    path("q/<slug:code>/bulk/", queues.bulk_action, name="bulk"),
    path("q/<slug:code>/export.<slug:fmt>", exports.queue_export, name="queue_export"),
    path("intake/", intake.intake, name="intake"),
    path("intake/lookup/", intake.lookup, name="lookup"),
    path("intake/assist/", intake.assist, name="assist"),
    path("text/check/", intake.check_text, name="check_text"),
    path("text/replies/", replies.quick_replies, name="quick_replies"),
    path("c/<int:pk>/", complaints.detail, name="complaint"),
    path("c/<int:pk>/attachments/<int:attachment_pk>/", complaints.attachment, name="attachment"),
    path("c/<int:pk>/clocks/", complaints.clocks, name="clocks"),
    path("c/<int:pk>/do/<slug:key>/", complaints.act, name="act"),
    path("c/<int:pk>/form/<slug:key>/", complaints.action_form, name="action_form"),
    path("c/<int:pk>/visit/", complaints.visit_page, name="visit"),
    path("c/<int:pk>/print/ticket/", complaints.print_ticket, name="print_ticket"),
    path("c/<int:pk>/print/receipt/", complaints.print_receipt, name="print_receipt"),
    path("c/<int:pk>/print/ticket.pdf", documents.ticket_pdf, name="ticket_pdf"),
    path("c/<int:pk>/print/receipt.pdf", documents.receipt_pdf, name="receipt_pdf"),
    path("customers/<int:pk>/", customers.detail, name="customer"),
    path("imports/", imports.upload, name="import_upload"),
    path("imports/<int:pk>/", imports.batch, name="import_batch"),
    path("imports/<int:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("imports/<int:pk>/report.csv", imports.report, name="import_report"),
    path("visits/plans/", visits.plans, name="visit_plans"),
    path("visits/reviews/", visits.reviews, name="visit_reviews"),
    path("visits/reviews/<int:pk>/", visits.review, name="visit_review"),
    path("supervisor/", supervisor.board, name="supervisor"),
    path("reports/dashboard/", reports.dashboard_page, name="dashboard"),
    path("reports/dashboard/export/<slug:table>.<slug:fmt>", reports.dashboard_export, name="dashboard_export"),
    path("reports/", reports.report_list_page, name="reports"),
    path("reports/<int:pk>/", reports.report_page, name="report"),
    path("reports/<int:pk>/file.<slug:fmt>", reports.report_file, name="report_file"),
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
