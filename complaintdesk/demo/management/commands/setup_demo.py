"""Load the demo organisation, configuration and ~200 demo complaints (idempotent).

Run again, it keeps what is there: users, departments and categories are matched by code, and the
demo complaints are only created when the database has none.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import random
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Channel, Emotion, Status, VisitMethod
from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.complaints.services.texts import flag_customer_text
from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.org.models import Department, DepartmentKind, Role, User

DEMO_CSV = Path(__file__).resolve().parents[2] / "data" / "complaints.csv"

DEPARTMENTS = [
    ("service", "客服中心", "Service Centre", DepartmentKind.SERVICE_CENTRE),
    ("engineering", "工程维修部", "Engineering & Repairs", DepartmentKind.HANDLING),
    ("security", "秩序维护部", "Security & Order", DepartmentKind.HANDLING),
    ("aftersales", "售后服务部", "After-sales Service", DepartmentKind.HANDLING),
    ("finance", "财务部", "Finance", DepartmentKind.HANDLING),
    ("management", "总经理办公室", "General Manager's Office", DepartmentKind.MANAGEMENT),
]

CATEGORIES = [
    ("product_quality", "产品质量", "Product quality", "aftersales"),
    ("facilities", "设备设施", "Equipment & facilities", "engineering"),
    ("service_attitude", "服务态度", "Service attitude", "aftersales"),
    ("service_quality", "服务质量", "Service quality", "aftersales"),
    ("repair_quality", "维修质量", "Repair quality", "engineering"),
    ("emergency", "突发事件", "Emergency", "security"),
    ("business_policy", "经营政策", "Business policy", "finance"),
    ("other", "其他", "Other", "aftersales"),
]

# username, display name, role, department code, password
USERS = [
    ("agent", "张敏", Role.AGENT, "service", "agent@2026"),
    ("agent2", "赵丽", Role.AGENT, "service", "agent2@2026"),
    ("handler", "李强", Role.HANDLER, "engineering", "handler@2026"),
    ("handler2", "王芳", Role.HANDLER, "aftersales", "handler2@2026"),
    ("handler3", "孙伟", Role.HANDLER, "security", "handler3@2026"),
    ("handler4", "周洁", Role.HANDLER, "finance", "handler4@2026"),
    ("supervisor", "陈静", Role.SUPERVISOR, "service", "supervisor@2026"),
    ("manager", "刘洋", Role.MANAGER, "management", "manager@2026"),
    ("admin", "系统管理员", Role.ADMIN, "service", "admin@2026"),
]

# The demo centre: 阳光花园物业服务中心 — the estate's property management, its clubhouse guest
# rooms and its community shop (社区商城), whose appliance and electronics sales it services
# after the sale. The customer texts are real reviews; what each is about (the item) comes from
# the review's product group, what went wrong (subject, category, demand, cause) from keywords.
ITEM = {
    "书籍": "社区书店图书",
    "平板": "平板电脑",
    "手机": "手机",
    "水果": "社区商城水果",
    "洗发水": "社区商城洗发水",
    "热水器": "热水器",
    "蒙牛": "社区商城牛奶",
    "衣服": "社区商城服装",
    "计算机": "笔记本电脑",
    "酒店": "会所客房",
}
DATASET_CATEGORY = {
    "书籍": "business_policy",
    "平板": "repair_quality",
    "手机": "product_quality",
    "水果": "product_quality",
    "洗发水": "product_quality",
    "热水器": "repair_quality",
    "蒙牛": "product_quality",
    "衣服": "service_quality",
    "计算机": "repair_quality",
    "酒店": "facilities",
}


@dataclass(frozen=True)
class Issue:
    """What went wrong, recognised by keywords in the customer's words."""

    keywords: tuple[str, ...]
    subject: str  # appended to the item: 热水器 + 安装维修不到位
    category: str | None  # None: by the product group
    demand: str
    cause: str
    plan: tuple[str, str]


ISSUES = [
    Issue(("快递", "物流", "送货", "配送", "发货", "到货", "送到", "包装"), "配送慢、包装差", "service_quality",
          "尽快送达并说明延误原因", "配送人员未按约定时间送货，外包装防护不足",
          ("安排专人重新配送并当面验货", "取消订单并全额退款")),
    Issue(("客服", "态度", "服务员", "前台", "不理", "爱理不理", "解释"), "服务态度差", "service_attitude",
          "要求当面道歉并改进服务", "值班人员服务意识不强，未按服务规范接待",
          ("当事人登门致歉，部门内部通报整改", "由部门负责人电话致歉并说明整改措施")),
    Issue(("安装", "师傅", "上门", "维修", "修了", "售后"), "安装维修不到位", "repair_quality",
          "尽快上门修好", "安装师傅未按规范安装调试，首次维修未彻底排除故障",
          ("安排资深师傅免费上门复修", "更换同型号新机")),
    Issue(("死机", "卡顿", "发热", "发烫", "电池", "屏幕", "蓝屏", "黑屏", "充电", "开不了机", "不出热水"), "频繁故障",
          "repair_quality", "检测维修或换新", "部件老化、出厂质量不稳定",
          ("免费检测并更换故障部件", "办理换新")),
    Issue(("退货", "退款", "换货", "退换"), "退换货不顺", "business_policy", "按规定办理退换货",
          "退换货流程要求客户重复提交材料，处理时限过长", ("三个工作日内办结退款", "上门取件并换新")),
    Issue(("价格", "贵", "降价", "发票", "优惠", "赠品", "差价"), "价格与宣传不符", "business_policy",
          "退还差价并给个说法", "促销规则宣传不清，价格调整未及时告知",
          ("退还差价并书面说明促销规则", "赠送等值代金券")),
    Issue(("假", "正品", "过期", "变质", "烂", "坏", "破", "漏", "异味", "臭", "质量"), "质量问题", "product_quality",
          "退换并给个说法", "进货批次质量把关不严，到货验收未发现问题",
          ("免费更换并赠送同类商品", "全额退款")),
    Issue(("卫生", "脏", "隔音", "吵", "空调", "热水", "设施", "房间", "早餐", "电梯", "停车"), "设施与卫生问题",
          "facilities", "尽快整改", "设施日常巡检不到位，保洁未按标准执行",
          ("当日完成设施维修和深度保洁", "为客户调换房间并减免当晚费用")),
]
GENERAL = Issue((), "使用问题反映", None, "上门检查并给个说法", "部件老化，使用说明不清",
                ("上门维修并免费更换部件", "办理退换"))
# Goods from the community shop (not appliances): no technician goes round for a carton of milk.
GOODS = {"书籍", "水果", "洗发水", "蒙牛", "衣服"}
GENERAL_GOODS = Issue((), "问题反映", None, "退换并给个说法", "进货把关不严，商品描述与实物不符",
                      ("免费更换并赠送同类商品", "全额退款"))


def issue_for(text: str, group: str = "") -> Issue:
    found = next((issue for issue in ISSUES if any(k in text for k in issue.keywords)), None)
    return found or (GENERAL_GOODS if group in GOODS else GENERAL)


# How far along each demo complaint travels; 200 in all, every state represented.
STAGES = (
    [Status.RECEIVED] * 20
    + [Status.ACCEPTED] * 15
    + ["invalid"] * 10
    + [Status.DISPATCHED] * 18
    + [Status.HANDLING] * 20
    + [Status.PENDING_APPROVAL] * 14
    + [Status.IMPLEMENTING] * 18
    + [Status.RECEIPT_SUBMITTED] * 14
    + [Status.AWAITING_VISIT] * 20
    + ["on_spot"] * 6
    + [Status.CLOSED] * 30
    + [Status.ARCHIVED] * 15
)
ORDER = [
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
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]


class Command(BaseCommand):
    help = "载入演示组织、配置与约200条演示投诉（可重复运行，不会覆盖已有数据）"

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=len(STAGES))
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        call_command("seed_calendar", verbosity=0)
        self._next_year_calendar(options["quiet"])
        call_command("seed_phrases", verbosity=0)
        with transaction.atomic():
            departments = self._departments()
            users = self._users(departments)
            self._categories(departments)
        created = 0
        if not Complaint.objects.exists():
            # The demo's history sends its customers the usual SMS; keep them out of the console.
            logging.disable(logging.INFO)
            try:
                created = self._complaints(users, departments, options["complaints"])
            finally:
                logging.disable(logging.NOTSET)
        if not options["quiet"]:
            self.stdout.write(self.style.SUCCESS(f"演示数据就绪：新增投诉 {created} 条，共 {Complaint.objects.count()} 条。"))
            self.stdout.write("演示账号 (用户名 / 密码 / 角色)：")
            for username, name, role, dept, password in USERS:
                self.stdout.write(f"  {username:<11} {password:<16} {Role(role).label} · {name} · {departments[dept].name}")

    def _next_year_calendar(self, quiet: bool) -> None:
        """Deadlines must be computable a year ahead; until the State Council publishes next
        year's holidays, fill it by the weekday rule and say so (admins edit it in /admin/)."""
        from complaintdesk.sla.models import CalendarDay
        from complaintdesk.sla.seeding import seed_provisional

        wanted = clock.now().year + 1
        last = CalendarDay.objects.order_by("-date").values_list("date", flat=True).first()
        if last is None or last.year < wanted:
            seed_provisional(wanted)
            if not quiet:
                self.stdout.write(self.style.WARNING(
                    f"{wanted} 年节假日尚未公布：已按周末规则临时生成工作日历，请管理员在后台补充法定节假日与调休。"
                ))

    def _departments(self) -> dict[str, Department]:
        result = {}
        for code, name, name_en, kind in DEPARTMENTS:
            result[code], _ = Department.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "kind": kind}
            )
        return result

    def _users(self, departments) -> dict[str, User]:
        result = {}
        for username, name, role, dept, password in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, display_name=name, role=role, department=departments[dept])
                user.is_staff = role in {Role.ADMIN, Role.MANAGER}
                user.is_superuser = role == Role.ADMIN
                user.set_password(password)
                user.save()
            result[username] = user
        heads = {"engineering": "handler", "aftersales": "handler2", "security": "handler3", "finance": "handler4",
                 "service": "supervisor", "management": "manager"}
        for code, username in heads.items():
            if departments[code].head_id is None:
                departments[code].head = result[username]
                departments[code].save(update_fields=["head"])
        return result

    def _categories(self, departments) -> None:
        for order, (code, name, name_en, dept) in enumerate(CATEGORIES):
            Category.objects.get_or_create(
                code=code,
                defaults={"name": name, "name_en": name_en, "order": order, "default_department": departments[dept]},
            )

    def _complaints(self, users, departments, count: int) -> int:
        rng = random.Random(2026)
        with DEMO_CSV.open(encoding="utf-8") as f:
            texts = list(csv.DictReader(f))
        categories = {c.code: c for c in Category.objects.all()}
        handlers = {u.department.code: u for u in users.values() if u.role == Role.HANDLER}
        now = clock.now()
        stages = list(STAGES * (count // len(STAGES) + 1))
        rng.shuffle(stages)
        stages = stages[:count]
        for index, stage in enumerate(stages):
            row = texts[index % len(texts)]
            issue = issue_for(row["review"], row["cat"])
            category = categories[issue.category or DATASET_CATEGORY.get(row["cat"], "other")]
            department = category.default_department or departments["aftersales"]
            handler = handlers.get(department.code)
            # Older cases have travelled further; keep each step in the past.
            depth = ORDER.index(stage) if stage in ORDER else 1
            start = now - dt.timedelta(days=rng.randint(depth, depth * 3 + 2), hours=rng.randint(0, 8))
            steps = _Steps(start, rng)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
            # The supervisor takes calls too (escalated callers ask for them): 我首问的 is not empty.
            agent = users[rng.choice(["agent", "agent", "agent2", "agent2", "supervisor"])]
            with clock.frozen(steps.next()):
                c = services.complaint_receive(
                    actor=agent,
                    phone=phone,
                    customer_name=name,
                    salutation=rng.choice(["mr", "ms"]),
                    address=f"阳光花园{rng.randint(1, 12)}栋{rng.randint(1, 3)}单元",
                    room=f"{rng.randint(1, 18)}0{rng.randint(1, 4)}",
                    channel=rng.choice(Channel.values),
                    subject=f"{ITEM.get(row['cat'], '')}{issue.subject}",
                    description=row["review"],
                    demand=issue.demand,
                    emotion=rng.choice([Emotion.CALM, Emotion.DISSATISFIED, Emotion.DISSATISFIED, Emotion.ANGRY]),
                    category=category,
                )
            self._advance(c, stage, users, department, handler, steps, rng, issue)
        return len(stages)

    def _advance(self, c, stage, users, department, handler, steps, rng, issue) -> None:
        desk, boss = users["agent"], users["supervisor"]
        if stage == Status.RECEIVED:
            return
        if stage == "invalid":
            with clock.frozen(steps.next()):
                services.complaint_review_invalid(
                    complaint=c, actor=desk, reason="经核实为正常使用损耗，不属于质量问题",
                    explanation="已向客户说明产品保修条款及正常使用损耗的判定依据，客户表示理解",
                )
            return
        if stage == "on_spot":
            with clock.frozen(steps.next()):
                services.complaint_resolve_on_spot(
                    complaint=c, actor=desk, resolution="电话中指导客户重置设备后恢复正常，客户确认满意",
                    customer_confirmed=True,
                )
            return
        target = ORDER.index(stage)
        with clock.frozen(steps.next()):
            services.complaint_review_valid(complaint=c, actor=desk)
        if target <= ORDER.index(Status.ACCEPTED):
            return
        with clock.frozen(steps.next()):
            _slip(c, desk)
            services.complaint_log_contact(
                complaint=c, actor=desk, kind="first_answer", note="您好，您反映的问题已受理并转责任部门处理，我们会在5个工作日内给您答复。"
            )
            services.complaint_dispatch(complaint=c, actor=desk, department=department, handler=handler)
        if target <= ORDER.index(Status.DISPATCHED):
            return
        with clock.frozen(steps.next()):
            services.complaint_accept_ticket(complaint=c, actor=handler)
        if target <= ORDER.index(Status.HANDLING):
            return
        compensate = stage == Status.PENDING_APPROVAL or rng.random() < 0.3
        with clock.frozen(steps.next()):
            services.complaint_submit_plan(
                complaint=c,
                actor=handler,
                cause_analysis=f"经核查，{issue.cause}。",
                responsibility=rng.choice(["我方责任", "我方与供应商共同责任", "供应商责任，由我方先行处理"]),
                cause_detail="irresponsible",
                plan_options=list(issue.plan),
                chosen_plan=0,
                compensation_amount=rng.choice([50, 100, 200]) if compensate else 0,
                compensation_description="赠送延保一年及代金券" if compensate else "",
            )
        if target <= ORDER.index(Status.PENDING_APPROVAL):
            return
        if c.status == Status.PENDING_APPROVAL:
            with clock.frozen(steps.next()):
                services.complaint_approve_plan(complaint=c, actor=boss, comment="同意，尽快落实")
        if target <= ORDER.index(Status.IMPLEMENTING):
            return
        with clock.frozen(steps.next()):
            services.complaint_submit_receipt(complaint=c, actor=handler, text=_receipt(c, steps.current, issue))
        if target <= ORDER.index(Status.RECEIPT_SUBMITTED):
            return
        with clock.frozen(steps.next()):
            services.complaint_accept_receipt(complaint=c, actor=desk)
        if target <= ORDER.index(Status.AWAITING_VISIT):
            return
        with clock.frozen(steps.next()):
            services.complaint_record_visit(
                complaint=c,
                actor=desk,
                outcome="satisfied",
                method=rng.choice(VisitMethod.values),
                satisfaction=rng.choice([4, 5, 5]),
                dimensions={"responsiveness": rng.choice([3, 4, 5]), "empathy": rng.choice([4, 5])},
                answers={"process": "处理及时", "measures": issue.plan[0], "result": "问题已解决"},
            )
        if stage == Status.ARCHIVED:
            with clock.frozen(steps.next()):
                services.complaint_archive(complaint=c, actor=boss)


SLIP = "这个不是我负责的，您去找物业吧"


def _slip(c, desk) -> None:
    """Now and then the agent first types a forbidden phrase (the live check flags it) and, less
    often, submits it anyway and is refused — so the 服务用语质检 figures have something to show."""
    chance = random.Random(c.pk)
    if chance.random() >= 0.2:
        return
    flag_customer_text(complaint=c, actor=desk, field="log_contact-note", text=SLIP)
    if chance.random() < 0.4:
        try:
            services.complaint_log_contact(complaint=c, actor=desk, kind="first_answer", note=SLIP)
        except ValidationFailed:
            pass


def _receipt(c, at: dt.datetime, issue: Issue) -> str:
    from django.utils import timezone

    day = timezone.localtime(at).strftime("%m月%d日%H:%M")
    return (
        f"经现场核查，{c.subject}的原因是{issue.cause}。已按选定方案{issue.plan[0]}，并复查确认正常。"
        f"{day}电话联系客户{c.customer.name}告知处理结果，客户表示认可。"
    )


class _Steps:
    """Successive moments after ``start`` for one demo complaint's actions (never in the future)."""

    def __init__(self, start: dt.datetime, rng: random.Random):
        self.current = start
        self.rng = rng

    def next(self) -> dt.datetime:
        self.current = min(self.current + dt.timedelta(hours=self.rng.randint(2, 20)), clock.now())
        return self.current



