from django.contrib import admin

from complaintdesk.improvement.models import CorrectiveAction, CorrectiveActionEvent


class EventInline(admin.TabularInline):
    model = CorrectiveActionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "actor", "created_at", "from_status", "to_status", "values"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(admin.ModelAdmin):
    """Read-only: corrective actions change only through the services (the workspace pages)."""

    list_display = ["number", "title", "status", "department", "due_date", "opened_at"]
    list_filter = ["status", "department"]
    search_fields = ["number", "title"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
