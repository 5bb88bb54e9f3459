"""Portal forms: parse and bound the input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import Dimension
from complaintdesk.customers.models import Salutation
from complaintdesk.portal.services import MAX_LENGTHS

SCORES = [(str(n), str(n)) for n in range(1, 6)]
# SERVQUAL (seed 003) in words a customer understands.
DIMENSION_HELP = {
    Dimension.TANGIBLES: _("环境、设施和人员仪表"),
    Dimension.EMPATHY: _("是否理解和关心您的感受"),
    Dimension.ASSURANCE: _("工作人员是否专业、让人放心"),
    Dimension.RESPONSIVENESS: _("响应和处理是否及时"),
    Dimension.RELIABILITY: _("是否按承诺做到"),
}


def _text(label, name, *, required=True, rows=None, placeholder=""):
    attrs = {"placeholder": str(placeholder)} if placeholder else {}
    if rows:
        return forms.CharField(label=label, required=required, max_length=MAX_LENGTHS[name],
                               widget=forms.Textarea(attrs={"rows": rows, **attrs}))
    return forms.CharField(label=label, required=required, max_length=MAX_LENGTHS[name],
                           widget=forms.TextInput(attrs=attrs))


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel", "placeholder": "138 0000 0000"})


class SubmitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    customer_name = _text(_("您的姓名"), "customer_name")
    salutation = forms.ChoiceField(
        label=_("称呼"), required=False, choices=[(Salutation.MR, _("先生")), (Salutation.MS, _("女士"))],
        widget=forms.RadioSelect,
    )
    phone = PhoneField()
    address = _text(_("地址/房号"), "address", required=False, placeholder=_("例如：阳光花园3栋1201"))
    subject = _text(_("投诉事项"), "subject", placeholder=_("一句话说明问题"))
    description = _text(_("详细情况"), "description", rows=5, placeholder=_("发生了什么、什么时候、在哪里"))
    demand = _text(_("您的诉求"), "demand", required=False, rows=2, placeholder=_("您希望我们怎样解决？"))


class PhoneForm(forms.Form):
    phone = PhoneField()


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(
        label=_("短信验证码"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )


class TrackForm(forms.Form):
    number = forms.CharField(label=_("投诉编号"), max_length=24,
                             widget=forms.TextInput(attrs={"placeholder": "TS2026031000001", "autocapitalize": "characters"}))
    phone = PhoneField(label=_("投诉时留的电话"))


class VisitForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("您对处理结果满意吗？"), choices=[("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(label=_("总体满意度"), choices=SCORES, widget=forms.RadioSelect)
    comment = _text(_("还想告诉我们什么？"), "comment", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Dimension.choices:
            self.fields[f"dim_{code}"] = forms.ChoiceField(
                label=label, choices=SCORES, widget=forms.RadioSelect, help_text=DIMENSION_HELP[code]
            )

    def dimensions(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"dim_{code}"] for code in Dimension.values}

    def dimension_fields(self):
        return [self[f"dim_{code}"] for code in Dimension.values]
