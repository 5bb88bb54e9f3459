"""Admin: categories are configuration; complaints and their timelines are read-only here
(every change of a complaint goes through the services, never through the admin)."""

from django.contrib import admin

from complaintdesk.complaints.models import Attachment, Category, Complaint, ContactLog, TimelineEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "default_department", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    fields = ["created_at", "type", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["number", "subject", "status", "channel", "category", "department", "first_owner", "received_at"]
    list_filter = ["status", "channel", "category", "department", "escalation_level", "nature"]
    search_fields = ["number", "contact_phone", "customer__name", "subject"]
    date_hierarchy = "received_at"
    list_select_related = ["category", "department", "first_owner"]
    inlines = [TimelineInline]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "type", "actor", "created_at"]
    list_filter = ["type"]
    list_select_related = ["complaint", "actor"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "complaint", "content_type", "size", "created_at"]


@admin.register(ContactLog)
class ContactLogAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "kind", "promised_for", "by", "at"]
    list_filter = ["kind"]
