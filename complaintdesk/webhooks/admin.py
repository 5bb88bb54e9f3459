from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaintdesk.webhooks import services
from complaintdesk.webhooks.models import Attempt, Delivery, Event, EventType, Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("接收地址"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("订阅的事件"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "event_types", "active", "secret"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("接收地址必须以 https:// 或 http:// 开头。"))
        return url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "status_code", "succeeded", "error", "response_excerpt"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("重新投递所选"))
def replay(modeladmin, request, queryset):
    count = services.delivery_replay(delivery_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(
        request, ngettext("已重新排队 %(n)d 条投递。", "已重新排队 %(n)d 条投递。", count) % {"n": count}, messages.SUCCESS
    )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event_type", "subscription", "status", "attempts", "last_status_code", "next_attempt_at",
                    "delivered_at"]
    list_filter = ["status", "subscription", "event__type"]
    list_select_related = ["event", "subscription"]
    readonly_fields = ["event", "subscription", "status", "attempts", "next_attempt_at", "last_status_code",
                       "delivered_at", "created_at", "payload"]
    exclude = []
    inlines = [AttemptInline]
    actions = [replay]

    @admin.display(description=_("事件类型"))
    def event_type(self, obj):
        return obj.event.type

    @admin.display(description=_("内容"))
    def payload(self, obj):
        return obj.event.payload

    def has_add_permission(self, request):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["uid", "type", "complaint_id", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["uid", "complaint_id"]
    readonly_fields = ["uid", "type", "complaint_id", "source_key", "payload", "occurred_at"]

    def has_add_permission(self, request):
        return False
