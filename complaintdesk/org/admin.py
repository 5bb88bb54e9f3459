from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from complaintdesk.org.models import AuditEntry, Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "head", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = UserAdmin.fieldsets + (
        (_("岗位"), {"fields": ("display_name", "role", "department", "phone")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("岗位"), {"fields": ("display_name", "role", "department")}),
    )

    def save_model(self, request, obj, form, change):
        obj._audit_actor = request.user  # org.audit records who changed roles and permissions
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        form.instance._audit_actor = request.user
        super().save_related(request, form, formsets, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit trail nobody can edit or delete from the admin."""

    list_display = ["created_at", "kind", "username", "user", "actor", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
