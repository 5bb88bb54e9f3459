from django.contrib import admin

from complaintdesk.followups.models import ReviewPolicy, VisitPlan, VisitReview


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    list_display = ("sample_percent", "updated_at")

    def has_add_permission(self, request):
        return not ReviewPolicy.objects.exists()


@admin.register(VisitPlan)
class VisitPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "scheduled_for", "method", "assigned_to", "created_by")
    list_filter = ("method",)
    readonly_fields = ("created_by", "created_at")


@admin.register(VisitReview)
class VisitReviewAdmin(admin.ModelAdmin):
    list_display = ("visit", "verdict", "reviewer", "reviewed_at")
    list_filter = ("verdict",)
    readonly_fields = ("visit", "reviewer", "verdict", "comment", "reviewed_at")
