from django.contrib import admin

from complaintdesk.retention.models import RetentionPolicy, RetentionRun


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "archive_after_days", "anonymise_after_days", "active")


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "kind", "policy", "days", "cutoff", "count", "skipped")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
