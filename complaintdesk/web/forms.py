"""Forms of the workspace: they parse and label input; the services decide what is valid."""

from __future__ import annotations

import uuid

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    EXEMPTIONS,
    CauseDetail,
    Channel,
    ClosureReason,
    ContactKind,
    Dimension,
    Emotion,
    Nature,
    Psychology,
    Solvability,
    Status,
    ThreeChanges,
    VisitMethod,
)
from complaintdesk.complaints.models import Category
from complaintdesk.customers.models import Salutation
from complaintdesk.org.models import Department, DepartmentKind, Role, User

CHOOSE = _("— 请选择 —")


def _blank(choices, label=CHOOSE):
    return [("", label), *choices]


def _text(label, rows=3, required=True, help_text="", placeholder=""):
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs=attrs))


def checked(field: forms.Field) -> forms.Field:
    """A text the customer will hear or read: forbidden phrases are flagged as it is typed."""
    field.checks_language = True
    field.widget.attrs.update({
        "hx-post": reverse_lazy("web:check_text"), "hx-trigger": "input changed delay:600ms",
        "hx-target": "next .text-hints", "hx-swap": "innerHTML", "hx-sync": "this:replace",
    })
    return field


class CategoryField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Category.objects.filter(active=True).order_by("order", "code"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", _("— 请选择 —"))
        super().__init__(**kwargs)


class DepartmentField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset", Department.objects.filter(kind=DepartmentKind.HANDLING, active=True).order_by("code")
        )
        kwargs.setdefault("empty_label", _("— 请选择 —"))
        super().__init__(**kwargs)


class HandlerField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset",
            User.objects.filter(role=Role.HANDLER, is_active=True).select_related("department").order_by(
                "department__code", "username"
            ),
        )
        kwargs.setdefault("empty_label", _("— 由部门接单 —"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.department or ''} · {obj}"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class IntakeForm(forms.Form):
    """客户投诉记录表 (001): who, what, the customer's words and expectation."""

    phone = forms.CharField(
        label=_("来电号码"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "autofocus": True}),
    )
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    salutation = forms.ChoiceField(label=_("称呼"), choices=Salutation.choices, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    room = forms.CharField(label=_("房号"), max_length=40, required=False)
    preferred_language = forms.CharField(label=_("语言/方言"), max_length=40, required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.PHONE)
    subject = forms.CharField(label=_("投诉事项"), max_length=200)
    about_person = forms.CharField(label=_("被投诉对象"), max_length=100, required=False)
    description = _text(_("投诉内容（客户原话）"), rows=5)
    demand = _text(_("客户诉求"), rows=2, required=False, placeholder=_("客户希望怎样解决？"))
    emotion = forms.ChoiceField(label=_("情绪等级"), choices=_blank(Emotion.choices, _("由系统判断")), required=False)
    psychology = forms.MultipleChoiceField(
        label=_("客户心理"), choices=Psychology.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    category = CategoryField(label=_("投诉类别"), required=False, empty_label=_("由系统建议"))
    # One-time token: a double-click or a resent POST returns the complaint saved the first time.
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = uuid.uuid4().hex
        # Live help during the call: the customer appears as the number is typed, and the text
        # is checked for forbidden phrases and classified as it is written.
        self.fields["phone"].widget.attrs.update({
            "hx-get": reverse_lazy("web:lookup"), "hx-trigger": "input changed delay:300ms, load",
            "hx-target": "#lookup", "hx-sync": "this:replace",
        })
        # The hints yield to saving: a hint request never aborts the form's own submission (an
        # agent who saves within half a second of typing would otherwise lose the save's reply).
        for name in ("subject", "description", "demand"):
            self.fields[name].widget.attrs.update({
                "hx-post": reverse_lazy("web:assist"), "hx-trigger": "input changed delay:500ms",
                "hx-target": "#assist", "hx-sync": "closest form:abort", "hx-swap": "innerHTML",
            })


class ClassificationForm(forms.Form):
    category = CategoryField(label=_("投诉类别"), required=False)
    nature = forms.ChoiceField(label=_("投诉性质"), choices=Nature.choices, required=False)
    dimension = forms.ChoiceField(label=_("服务质量维度"), choices=_blank(Dimension.choices), required=False)
    solvability = forms.ChoiceField(label=_("可解决程度"), choices=_blank(Solvability.choices), required=False)
    solvability_note = forms.CharField(label=_("所需时间及原因"), required=False, max_length=500)
    cause_detail = forms.ChoiceField(label=_("原因"), choices=_blank(CauseDetail.choices), required=False)

    def classification(self) -> dict:
        data = self.cleaned_data
        values = {
            "category": data.get("category"),
            "nature": data.get("nature") or None,
            "dimension": data.get("dimension") or None,
            "solvability": data.get("solvability") or None,
            "cause_detail": data.get("cause_detail") or None,
        }
        if data.get("solvability_note"):
            values["solvability_note"] = data["solvability_note"]
        return {k: v for k, v in values.items() if v is not None}


class ClassifyForm(ClassificationForm):
    reason = forms.CharField(label=_("修改原因"), required=False, max_length=500)


class OverrideMixin(forms.Form):
    override_language = forms.BooleanField(
        label=_("主管放行：确认文本中的禁语用法无误"), required=False,
        help_text=_("仅主管可用；放行会记入时间线。"),
    )


class ReviewInvalidForm(OverrideMixin):
    reason = _text(_("不成立原因"), rows=2)
    explanation = checked(_text(_("向客户的解释"), rows=3, help_text=_("这段话会告知客户，请使用规范服务用语。")))
    field_order = ["reason", "explanation", "override_language"]


class ResolveOnSpotForm(forms.Form):
    resolution = _text(_("解决情况"), rows=3)
    customer_confirmed = forms.BooleanField(label=_("客户已确认满意"), required=False)


class DispatchForm(forms.Form):
    department = DepartmentField(label=_("责任部门"))
    handler = HandlerField(label=_("处理人"), required=False)
    note = forms.CharField(label=_("派单说明"), required=False, max_length=500)


class TransferForm(forms.Form):
    department = DepartmentField(label=_("转派至部门"))
    handler = HandlerField(label=_("处理人"), required=False)
    reason = forms.CharField(label=_("转派原因"), max_length=500)


class ReasonForm(forms.Form):
    reason = _text(_("原因"), rows=2)


class DuplicateForm(forms.Form):
    """Same matter as another complaint: link, or merge this one into it (closes as a duplicate)."""

    other = forms.CharField(label=_("同一事项的投诉编号"), max_length=24)
    merge = forms.BooleanField(
        label=_("合并：本投诉作为重复投诉结案，在对方投诉上继续处理"), required=False
    )
    reason = _text(_("原因"), rows=2)


class CommentForm(forms.Form):
    comment = _text(_("批示意见"), rows=2, required=False)


class RequiredCommentForm(forms.Form):
    comment = _text(_("驳回意见"), rows=2)


class EmptyForm(forms.Form):
    pass


class ExtensionRequestForm(forms.Form):
    working_days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=30, initial=2)
    reason = _text(_("申请理由"), rows=2)


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("yes", _("同意延期")), ("no", _("不同意"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = _text(_("审批意见（不同意时必填）"), rows=2, required=False)


class PlanForm(OverrideMixin):
    """原因分析, 责任判定, 处理方案 (several options, the one the customer chose) and compensation."""

    cause_analysis = _text(_("原因分析"), rows=3)
    cause_detail = forms.ChoiceField(label=_("原因类型"), choices=_blank(CauseDetail.choices), required=False)
    responsibility = _text(_("责任判定"), rows=2)
    option_1 = checked(_text(_("方案一"), rows=2))
    option_2 = checked(_text(_("方案二（可选）"), rows=2, required=False))
    option_3 = checked(_text(_("方案三（可选）"), rows=2, required=False))
    chosen_plan = forms.TypedChoiceField(
        label=_("客户选定的方案"), coerce=int, initial=0,
        choices=[(0, _("方案一")), (1, _("方案二")), (2, _("方案三"))], widget=forms.RadioSelect,
    )
    compensation_amount = forms.DecimalField(label=_("补偿金额（元）"), required=False, min_value=0, decimal_places=2)
    compensation_description = forms.CharField(label=_("补偿内容"), required=False, max_length=200)
    exceeds_authority = forms.BooleanField(label=_("超出本人处理权限，需主管批示"), required=False)
    field_order = [
        "cause_analysis", "cause_detail", "responsibility", "option_1", "option_2", "option_3", "chosen_plan",
        "compensation_amount", "compensation_description", "exceeds_authority", "override_language",
    ]

    def options(self) -> list[str]:
        return [self.cleaned_data.get(f"option_{i}") or "" for i in (1, 2, 3)]


class ReceiptForm(forms.Form):
    text = checked(_text(
        _("回单内容"), rows=5,
        help_text=_("写明：核查了什么、原因、做了什么、何时以何种方式联系客户、客户的反馈。"),
    ))


SCORES = [("", "—"), *[(str(i), str(i)) for i in range(5, 0, -1)]]
OUTCOMES = [
    ("satisfied", _("满意 → 结案")),
    ("unsatisfied", _("不满意 → 重新上移责任部门")),
    ("declined", _("客户拒绝回访 → 按已处理结案")),
]


class VisitForm(forms.Form):
    """The scripted return visit (SPEC §6): process, measures, result, satisfaction."""

    method = forms.ChoiceField(label=_("回访方式"), choices=VisitMethod.choices, initial=VisitMethod.PHONE)
    process = _text(_("1. 对处理过程（响应速度、态度）是否满意？"), rows=2, required=False)
    measures = _text(_("2. 对采取的处理措施是否认可？"), rows=2, required=False)
    result = _text(_("3. 问题是否已经解决？对结果是否满意？"), rows=2, required=False)
    satisfaction = forms.ChoiceField(
        label=_("4. 总体满意度（5=非常满意，1=非常不满意）"), choices=SCORES, required=False
    )
    outcome = forms.ChoiceField(label=_("回访结果"), choices=OUTCOMES, widget=forms.RadioSelect)
    notes = _text(_("回访记录"), rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Dimension.choices:
            self.fields[f"dim_{code}"] = forms.ChoiceField(
                label=_("5. 分项满意度：%(dimension)s") % {"dimension": label}, choices=SCORES, required=False
            )
        self.order_fields(["method", "process", "measures", "result", "satisfaction",
                           *[f"dim_{code}" for code in Dimension.values], "outcome", "notes"])

    def dimension_fields(self):
        return [self[f"dim_{code}"] for code in Dimension.values]

    def dimensions(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"dim_{code}") or "" for code in Dimension.values}


class RevisitForm(forms.Form):
    """A second visit of a closed case that a supervisor found doubtful (主管领导审阅)."""

    method = forms.ChoiceField(label=_("回访方式"), choices=VisitMethod.choices, initial=VisitMethod.PHONE)
    process = _text(_("1. 对处理过程（响应速度、态度）是否满意？"), rows=2, required=False)
    measures = _text(_("2. 对采取的处理措施是否认可？"), rows=2, required=False)
    result = _text(_("3. 问题是否已经解决？对结果是否满意？"), rows=2, required=False)
    satisfaction = forms.ChoiceField(label=_("4. 总体满意度（5=非常满意，1=非常不满意）"), choices=SCORES, required=False)
    outcome = forms.ChoiceField(
        label=_("回访结果"),
        choices=[("satisfied", _("满意")), ("unsatisfied", _("不满意（请主管重新打开）")), ("declined", _("客户拒绝回访"))],
        widget=forms.RadioSelect,
    )
    notes = _text(_("回访记录"), rows=2, required=False)


class VisitPlanForm(forms.Form):
    """回访计划: whom to visit (the ticked cases), when, by which channel, by whom."""

    name = forms.CharField(label=_("计划名称"), max_length=80, required=False)
    scheduled_for = forms.DateField(label=_("计划回访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("回访方式"), choices=VisitMethod.choices, initial=VisitMethod.PHONE)
    assigned_to = forms.ModelChoiceField(label=_("回访人"), queryset=None)
    note = _text(_("准备事项"), rows=2, required=False, placeholder=_("如：调阅处理记录、准备致歉礼品"))

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff


class VisitReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("审阅结论"),
        choices=[("confirmed", _("审阅无误")), ("revisit", _("存疑，退回重访"))],
        widget=forms.RadioSelect,
    )
    comment = _text(_("审阅意见"), rows=2, required=False)


class ExemptForm(forms.Form):
    exemption = forms.ChoiceField(
        label=_("免回访原因"),
        choices=_blank([(c.value, c.label) for c in ClosureReason if c in EXEMPTIONS]),
    )
    note = _text(_("说明"), rows=2)


class ThreeChangesForm(forms.Form):
    changes = forms.MultipleChoiceField(
        label=_("三变法"), choices=ThreeChanges.choices, widget=forms.CheckboxSelectMultiple
    )
    new_handler = HandlerField(label=_("新处理人（换人）"), required=False, empty_label=_("— 不换人 —"))
    place = forms.CharField(label=_("新的沟通地点（换地点）"), required=False, max_length=200)
    contact_time = forms.DateTimeField(label=_("新的联系时间（换时间）"), required=False, widget=DateTimeLocalInput())
    reason = _text(_("原因"), rows=2)


class ContactForm(OverrideMixin):
    kind = forms.ChoiceField(label=_("联系类型"), choices=ContactKind.choices)
    note = checked(_text(_("内容"), rows=2))
    promised_for = forms.DateTimeField(label=_("约定回话时间"), required=False, widget=DateTimeLocalInput())
    field_order = ["kind", "note", "promised_for", "override_language"]


class NoteForm(forms.Form):
    text = _text(_("内部备注"), rows=2)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class BulkActionForm(forms.Form):
    """One action over the ticked rows; each row goes through the same service (and its
    permission check) as the button on the complaint page."""

    ACTIONS = [
        ("dispatch", _("派单/转派到部门")),
        ("assign", _("指派处理人")),
        ("escalate", _("升级")),
        ("archive", _("归档")),
    ]
    action = forms.ChoiceField(label=_("批量操作"), choices=ACTIONS, required=False)
    ids = forms.ModelMultipleChoiceField(queryset=None, label=_("选中的投诉"))
    department = DepartmentField(label=_("派往部门"), required=False)
    handler = HandlerField(label=_("处理人"), required=False)
    reason = forms.CharField(label=_("说明/原因"), required=False, max_length=500)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = queryset

    def clean(self):
        data = super().clean()
        action = data["action"] = data.get("action") or "dispatch"
        if action == "dispatch" and not data.get("department"):
            self.add_error("department", _("请选择派往的部门。"))
        if action == "assign" and not data.get("handler"):
            self.add_error("handler", _("请选择处理人。"))
        if action == "escalate" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请填写升级原因。"))
        return data


class QueueFilterForm(forms.Form):
    SORTS = [
        ("-received_at", _("受理时间 新→旧")),
        ("received_at", _("受理时间 旧→新")),
        ("next_due", _("剩余时间 少→多")),
        ("implement_due_at", _("实施时限 近→远")),
        ("-priority", _("优先级")),
        ("-escalation_level", _("升级层级")),
        ("number", _("编号")),
    ]
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("编号 / 电话 / 姓名 / 内容")}))
    status = forms.ChoiceField(label=_("状态"), choices=_blank(Status.choices, _("全部状态")), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    department = forms.ChoiceField(label=_("部门"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_blank(Channel.choices, _("全部渠道")), required=False)
    date_from = forms.DateField(label=_("受理日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("仅超时"), required=False)
    sort = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)

    def __init__(self, *args, categories, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _blank([(c.code, str(c)) for c in categories], _("全部类别"))
        self.fields["department"].choices = _blank([(str(d.pk), str(d)) for d in departments], _("全部部门"))


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; department/category/channel use the queue list's own values so a
    drill-down applies exactly the same filters."""

    date_from = forms.DateField(label=_("日期自"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ChoiceField(label=_("部门"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_blank(Channel.choices, _("全部渠道")), required=False)

    def __init__(self, *args, categories, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _blank([(c.code, str(c)) for c in categories], _("全部类别"))
        self.fields["department"].choices = _blank([(str(d.pk), str(d)) for d in departments], _("全部部门"))

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        if first and last and (last - first).days > 800:
            self.add_error("date_to", _("时间段最长两年。"))
        return data


class ReportRequestForm(forms.Form):
    """A report of any period, on demand (kept like the scheduled ones)."""

    date_from = forms.DateField(label=_("日期自"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ChoiceField(label=_("部门"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _blank([(str(d.pk), str(d)) for d in departments], _("全中心"))

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        if first and last and (last - first).days > 800:
            self.add_error("date_to", _("时间段最长两年。"))
        return data
