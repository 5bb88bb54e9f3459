"""Forms of the improvement pages (热点问题, 原因分析, 整改单): they parse input; services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.improvement.choices import ActionStatus


def _blank(choices, label):
    return [("", label), *choices]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("受理日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=_("按"), required=False, choices=[("category", _("类别")), ("department", _("部门"))])
    period = forms.ChoiceField(label=_("趋势粒度"), required=False, choices=[("month", _("按月")), ("week", _("按周"))])


class RecurringForm(forms.Form):
    days = forms.IntegerField(label=_("最近天数"), min_value=1, max_value=365, required=False)
    min_size = forms.IntegerField(label=_("至少几件"), min_value=2, max_value=50, required=False)


class ActionFilterForm(forms.Form):
    STATUSES = [("pending", _("未完成")), *ActionStatus.choices]
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("整改单号 / 标题")}))
    status = forms.ChoiceField(label=_("状态"), required=False)
    department = forms.ChoiceField(label=_("部门"), required=False)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _blank(self.STATUSES, _("全部状态"))
        self.fields["department"].choices = _blank([(str(d.pk), d.name) for d in departments], _("全部部门"))


class OpenActionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    problem = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 5}))
    department = forms.ChoiceField(label=_("整改部门"))
    due_date = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))
    # From the recurring problem (hidden): its complaints and its criteria.
    complaint_ids = forms.CharField(required=False, widget=forms.HiddenInput)
    category = forms.CharField(required=False, widget=forms.HiddenInput)
    area = forms.CharField(required=False, widget=forms.HiddenInput)
    match_text = forms.CharField(required=False, widget=forms.HiddenInput)
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _blank([(str(d.pk), d.name) for d in departments], _("— 请选择 —"))
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_complaint_ids(self) -> list[int]:
        raw = self.cleaned_data.get("complaint_ids") or ""
        try:
            return [int(x) for x in raw.split(",") if x.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("关联投诉的编号无效。")) from exc


class CompleteForm(forms.Form):
    changes = forms.CharField(label=_("整改内容（改了什么）"), widget=forms.Textarea(attrs={"rows": 4}))


class VerifyForm(forms.Form):
    comment = forms.CharField(label=_("验证意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3}))
