from django.contrib import admin

from complaintdesk.customers.models import Customer, CustomerPhone


class PhoneInline(admin.TabularInline):
    model = CustomerPhone
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "salutation", "address", "room", "created_at"]
    search_fields = ["name", "phones__number", "address", "room"]
    inlines = [PhoneInline]
