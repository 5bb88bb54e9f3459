from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from complaintdesk.sla.models import CalendarDay, DaySource, EscalationChainStep, SlaPolicy


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working_day", "kind", "name", "source"]
    list_editable = ["is_working_day", "kind", "name"]
    list_filter = [YearFilter, "kind", "is_working_day", "source"]
    search_fields = ["name", "date"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated_at"]
    list_per_page = 62

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        # An edited day is the admin's: seeding never overwrites it.
        obj.source = DaySource.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "category",
        "priority",
        "first_answer_hours",
        "first_answer_in_working_time",
        "implement_working_days",
        "visit_working_days",
        "warning_lead_hours",
        "progress_update_interval_days",
        "active",
    ]
    list_filter = ["active", "priority", "category"]


@admin.register(EscalationChainStep)
class EscalationChainStepAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "level", "notify_role", "active"]
    list_editable = ["name", "notify_role", "active"]
    ordering = ["order"]
