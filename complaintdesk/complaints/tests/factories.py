"""Build complaints in any state through the real services (never by writing fields)."""

from __future__ import annotations

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status

RECEIPT = (
    "经现场核查，热水器不出热水的原因是温控阀老化失灵。已上门更换温控阀并试机，出水温度恢复正常。"
    "3月12日下午电话联系客户王先生告知处理结果，客户表示满意，认可处理方案。"
)
PLAN = dict(
    cause_analysis="温控阀老化导致不出热水",
    responsibility="产品质量问题，由我方负责",
    plan_options=["上门免费更换温控阀", "更换整机"],
    chosen_plan=0,
)

PATH = [
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.HANDLING,
    Status.PENDING_APPROVAL,
    Status.IMPLEMENTING,
    Status.RECEIPT_SUBMITTED,
    Status.AWAITING_VISIT,
    Status.CLOSED,
    Status.ARCHIVED,
]


def receive(org, *, phone="13812345678", description="家里热水器坏了三天没人来修，请尽快上门维修", **extra):
    data = dict(
        actor=org.agent,
        phone=phone,
        customer_name="王五",
        salutation="mr",
        address="阳光花园3栋",
        room="1201",
        subject="热水器不出热水",
        description=description,
        demand="尽快上门维修",
        category=org.category,
    )
    data.update(extra)
    return services.complaint_receive(**data)


def make(org, status: str, **receive_kwargs):
    """A complaint that travelled the main path to ``status`` (with a compensation plan)."""
    c = receive(org, **receive_kwargs)
    steps = PATH[: PATH.index(status) + 1]
    for step in steps[1:]:
        if step == Status.ACCEPTED:
            services.complaint_review_valid(complaint=c, actor=org.agent)
        elif step == Status.DISPATCHED:
            services.complaint_dispatch(complaint=c, actor=org.agent, department=org.engineering)
        elif step == Status.HANDLING:
            services.complaint_accept_ticket(complaint=c, actor=org.handler)
        elif step == Status.PENDING_APPROVAL:
            services.complaint_submit_plan(
                complaint=c, actor=org.handler, compensation_amount=100, compensation_description="赠送延保一年", **PLAN
            )
        elif step == Status.IMPLEMENTING:
            services.complaint_approve_plan(complaint=c, actor=org.supervisor, comment="同意")
        elif step == Status.RECEIPT_SUBMITTED:
            services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
        elif step == Status.AWAITING_VISIT:
            services.complaint_accept_receipt(complaint=c, actor=org.agent)
        elif step == Status.CLOSED:
            services.complaint_record_visit(complaint=c, actor=org.agent, outcome="satisfied", satisfaction=5)
        elif step == Status.ARCHIVED:
            services.complaint_archive(complaint=c, actor=org.supervisor)
    c.refresh_from_db()
    assert c.status == status
    return c
