from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from complaintdesk.org.models import Department, User


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
