from django import forms
from django.contrib import admin

from complaintdesk.notifications.models import MessageTemplate, Notification, OutboundMessage
from complaintdesk.notifications.services import template_problems


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["code", "name", "channel", "subject", "body", "active"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        problems = template_problems(body)
        if problems:
            raise forms.ValidationError(problems)
        return body


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["code", "name", "channel", "active", "updated_at"]
    list_filter = ["channel", "active"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "complaint"]
    search_fields = ["text"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "template_code", "status", "attempts", "backend"]
    list_filter = ["status", "channel", "template_code"]
    raw_id_fields = ["complaint"]
    search_fields = ["to", "body"]
