from django.contrib import admin, messages

from . import services
from .models import (
    ClassifierModel,
    HandlingTemplate,
    PhraseKind,
    PhraseRule,
    PhraseRuleVersion,
    TrainingExample,
)


def _checked(form, field: str, only_approved: bool = False):
    """The admin form refuses a text with a forbidden phrase in it, with the reasons (SPEC §7)."""

    class Checked(form):
        def clean(self):
            cleaned = super().clean()
            if only_approved and cleaned.get("kind") != PhraseKind.APPROVED:
                return cleaned
            found = services.check_customer_text(cleaned.get(field) or "")
            if found:
                self.add_error(field, "含有服务禁语：" + "；".join(f"“{v.phrase}” → {v.suggestion}" for v in found))
            return cleaned

    return Checked


class PhraseRuleVersionInline(admin.TabularInline):
    model = PhraseRuleVersion
    extra = 0
    can_delete = False
    fields = ("version", "action", "note", "changed_by", "changed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PhraseRule)
class PhraseRuleAdmin(admin.ModelAdmin):
    list_display = ("phrase", "kind", "situation", "code", "is_active", "version", "updated_at")
    list_filter = ("kind", "situation", "is_active")
    search_fields = ("phrase", "code", "patterns", "suggestion")
    readonly_fields = ("version", "updated_at", "updated_by")
    fieldsets = (
        (None, {"fields": ("kind", "code", "situation", "phrase", "is_active")}),
        ("禁忌用语", {"fields": ("patterns", "exceptions", "suggestion", "reason")}),
        ("来源与版本", {"fields": ("source", "version", "updated_at", "updated_by")}),
    )
    inlines = [PhraseRuleVersionInline]

    def get_form(self, request, obj=None, **kwargs):
        return _checked(super().get_form(request, obj, **kwargs), "phrase", only_approved=True)

    def save_model(self, request, obj, form, change) -> None:
        # Every change goes through the service so it is versioned.
        services.phrase_rule_save(rule=obj, acting_user=request.user, note="管理后台")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retire a phrase by deactivating it; its history stays


@admin.register(PhraseRuleVersion)
class PhraseRuleVersionAdmin(admin.ModelAdmin):
    list_display = ("rule", "version", "action", "changed_by", "changed_at", "note")
    list_filter = ("action",)
    search_fields = ("rule__code", "rule__phrase")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ("__str__", "field", "version", "is_active", "n_examples", "metrics", "created_at")
    list_filter = ("field", "is_active")
    exclude = ("payload",)
    readonly_fields = (
        "field",
        "version",
        "algorithm",
        "params",
        "labels",
        "metrics",
        "n_examples",
        "is_active",
        "created_at",
        "created_by",
    )
    actions = ["activate"]

    @admin.action(description="启用所选模型（同一字段的其他模型停用）")
    def activate(self, request, queryset) -> None:
        for model in queryset:
            services.classifier_activate(model=model)
        self.message_user(request, f"已启用 {queryset.count()} 个模型", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TrainingExample)
class TrainingExampleAdmin(admin.ModelAdmin):
    list_display = ("field", "label", "source", "text", "created")
    list_filter = ("field", "source", "label")
    search_fields = ("text",)
    readonly_fields = ("digest", "created")


@admin.register(HandlingTemplate)
class HandlingTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "situation", "is_active", "updated_at", "updated_by")
    list_filter = ("is_active", "situation")
    search_fields = ("title", "situation", "body")
    readonly_fields = ("updated_at", "updated_by")

    def get_form(self, request, obj=None, **kwargs):
        return _checked(super().get_form(request, obj, **kwargs), "body")

    def save_model(self, request, obj, form, change) -> None:
        services.handling_template_save(template=obj, acting_user=request.user)
