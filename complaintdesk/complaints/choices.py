"""Choice classes for complaints. Codes are stable English; labels are translated Chinese."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: complaints carry them, time-limit policies (a lower layer) are keyed on them.
from complaintdesk.sla.choices import EscalationLevel, Priority  # noqa: F401


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ACCEPTED = "accepted", _("待派单")
    DISPATCHED = "dispatched", _("已派单")
    HANDLING = "handling", _("处理中")
    PENDING_APPROVAL = "pending_approval", _("待批示")
    IMPLEMENTING = "implementing", _("方案实施中")
    RECEIPT_SUBMITTED = "receipt_submitted", _("回单待审核")
    AWAITING_VISIT = "awaiting_visit", _("待回访")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.PENDING_APPROVAL,
        Status.IMPLEMENTING,
        Status.RECEIPT_SUBMITTED,
        Status.AWAITING_VISIT,
    }
)

STATUS_COLOURS = {
    Status.RECEIVED: "blue",
    Status.ACCEPTED: "indigo",
    Status.DISPATCHED: "cyan",
    Status.HANDLING: "orange",
    Status.PENDING_APPROVAL: "purple",
    Status.IMPLEMENTING: "yellow",
    Status.RECEIPT_SUBMITTED: "teal",
    Status.AWAITING_VISIT: "pink",
    Status.CLOSED: "green",
    Status.ARCHIVED: "grey",
}


class Channel(models.TextChoices):
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来函/邮件")
    ONLINE = "online", _("在线/自助")
    ACCOUNT_MANAGER = "account_manager", _("客户经理转达")
    OTHER = "other", _("其他")


class Nature(models.TextChoices):
    VALID = "valid", _("有效投诉")
    HELP = "help", _("求助型")
    INQUIRY = "inquiry", _("咨询型")
    VENTING = "venting", _("发泄型")


COMMUNICATION_NATURES = frozenset({Nature.HELP, Nature.INQUIRY, Nature.VENTING})


class Dimension(models.TextChoices):
    TANGIBLES = "tangibles", _("有形度")
    EMPATHY = "empathy", _("同理度")
    ASSURANCE = "assurance", _("专业度")
    RESPONSIVENESS = "responsiveness", _("反应度")
    RELIABILITY = "reliability", _("信赖度")


class Emotion(models.TextChoices):
    CALM = "calm", _("平静")
    DISSATISFIED = "dissatisfied", _("不满")
    ANGRY = "angry", _("愤怒")
    INTENSE = "intense", _("激烈")


class CauseType(models.TextChoices):
    SUBJECTIVE = "subjective", _("主观原因")
    OBJECTIVE = "objective", _("客观原因")


class CauseDetail(models.TextChoices):
    DISRESPECT = "disrespect", _("不尊重客户")
    IRRESPONSIBLE = "irresponsible", _("工作不负责任")
    PRODUCT = "product", _("产品原因")
    THIRD_PARTY = "third_party", _("开发商/第三方原因")
    EXTERNAL = "external", _("市政/外部原因")


CAUSE_DETAIL_TYPE = {
    CauseDetail.DISRESPECT: CauseType.SUBJECTIVE,
    CauseDetail.IRRESPONSIBLE: CauseType.SUBJECTIVE,
    CauseDetail.PRODUCT: CauseType.OBJECTIVE,
    CauseDetail.THIRD_PARTY: CauseType.OBJECTIVE,
    CauseDetail.EXTERNAL: CauseType.OBJECTIVE,
}


class Solvability(models.TextChoices):
    IMMEDIATE = "immediate", _("即时可解决")
    SHORT_TERM = "short_term", _("短期可解决")
    NOT_YET = "not_yet", _("暂无法解决")


class Psychology(models.TextChoices):
    RESPECT = "respect", _("求尊重")
    VENT = "vent", _("求发泄")
    COMPENSATION = "compensation", _("求补偿")
    EVADE = "evade", _("逃避责任")
    HOSTILE = "hostile", _("极端敌视")


PRIORITY_ORDER = [Priority.NORMAL, Priority.HIGH, Priority.URGENT]


class EscalationRisk(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class ClosureReason(models.TextChoices):
    SATISFIED = "satisfied", _("回访满意")
    DECLINED = "declined", _("客户拒绝回访，按已处理结案")
    EXEMPT_ON_SPOT = "exempt_on_spot", _("免回访：当场解决且客户确认满意")
    EXEMPT_NO_CONTACT = "exempt_no_contact", _("免回访：无法联系客户")
    EXEMPT_UNSUITABLE = "exempt_unsuitable", _("免回访：不宜回访")
    INVALID = "invalid", _("投诉不成立")
    DUPLICATE = "duplicate", _("同一事项的重复投诉，已合并")


EXEMPTIONS = frozenset(
    {ClosureReason.EXEMPT_ON_SPOT, ClosureReason.EXEMPT_NO_CONTACT, ClosureReason.EXEMPT_UNSUITABLE}
)


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("电话回访")
    ON_SITE = "on_site", _("上门回访")
    INTERCOM = "intercom", _("对讲回访")
    ONLINE = "online", _("短信/在线回访")


class VisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    DECLINED = "declined", _("客户拒绝回访")


class ContactKind(models.TextChoices):
    CALLBACK_PROMISED = "callback_promised", _("约定回话")
    CALLBACK_DONE = "callback_done", _("按约回话")
    PROGRESS_UPDATE = "progress_update", _("进度告知")
    FIRST_ANSWER = "first_answer", _("首次答复")
    INVALID_EXPLAINED = "invalid_explained", _("不成立解释")
    OTHER = "other", _("其他联系")


class ThreeChanges(models.TextChoices):
    PERSON = "person", _("换人")
    PLACE = "place", _("换地点")
    TIME = "time", _("换时间")


class EventType(models.TextChoices):
    RECEIVED = "received", _("受理投诉")
    REVIEWED_VALID = "reviewed_valid", _("判定成立")
    REVIEWED_INVALID = "reviewed_invalid", _("判定不成立")
    NATURE_UPGRADED = "nature_upgraded", _("升级为有效投诉")
    CLASSIFIED = "classified", _("修改分类")
    DISPATCHED = "dispatched", _("派单")
    TRANSFERRED = "transferred", _("转派")
    HANDED_BACK = "handed_back", _("退回派单")
    TICKET_ACCEPTED = "ticket_accepted", _("部门接单")
    PLAN_SUBMITTED = "plan_submitted", _("提交处理方案")
    PLAN_APPROVED = "plan_approved", _("主管批准方案")
    PLAN_REJECTED = "plan_rejected", _("主管驳回方案")
    RECEIPT_SUBMITTED = "receipt_submitted", _("提交回单")
    RECEIPT_ACCEPTED = "receipt_accepted", _("回单审核通过")
    RECEIPT_REJECTED = "receipt_rejected", _("回单被退回")
    VISITED = "visited", _("回访")
    RETURNED_TO_DEPARTMENT = "returned_to_department", _("回访不满意，重新上移")
    RESOLVED_ON_SPOT = "resolved_on_spot", _("当场解决")
    CLOSED = "closed", _("结案")
    ARCHIVED = "archived", _("归档")
    REOPENED = "reopened", _("重新打开")
    ESCALATED = "escalated", _("升级")
    THREE_CHANGES = "three_changes", _("三变法调整")
    CONTACT_LOGGED = "contact_logged", _("联系客户")
    NOTE_ADDED = "note_added", _("内部备注")
    ATTACHMENT_ADDED = "attachment_added", _("添加附件")
    REPEAT_LINKED = "repeat_linked", _("关联重复投诉")
    LANGUAGE_OVERRIDE = "language_override", _("主管放行用语")
    LANGUAGE_FLAGGED = "language_flagged", _("服务禁语提示")
    LANGUAGE_BLOCKED = "language_blocked", _("服务禁语拦截")
    DEADLINE_WARNING = "deadline_warning", _("时限预警")
    DEADLINE_BREACHED = "deadline_breached", _("超时")
    CALLBACK_MISSED = "callback_missed", _("约定回话未履行")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_DECIDED = "extension_decided", _("延期审批")
    VISIT_SCHEDULED = "visit_scheduled", _("安排回访")
    NOTIFIED = "notified", _("通知客户")
    CLOCK_PAUSED = "clock_paused", _("时限暂停")
    CLOCK_RESUMED = "clock_resumed", _("时限恢复")
    DUPLICATE_LINKED = "duplicate_linked", _("关联同一事项")
    DUPLICATE_MERGED = "duplicate_merged", _("合并为重复投诉")
    REVISITED = "revisited", _("再次回访")
    VISIT_PLANNED = "visit_planned", _("列入回访计划")
    VISIT_REVIEWED = "visit_reviewed", _("主管审阅回访")
    IMPORTED = "imported", _("历史数据导入")
    ANONYMISED = "anonymised", _("个人信息已匿名化")



class PlanDecision(models.TextChoices):
    NOT_NEEDED = "not_needed", _("无需批示")
    PENDING = "pending", _("待批示")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
